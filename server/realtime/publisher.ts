import type { Server } from 'socket.io';
import type { HubEvent } from '../domain/context';
import { AGENTS_ROOM, customerRoom } from './rooms';

/** Sends domain events to the rooms that should see them (across servers, via the adapter). */
export function createPublisher(io: Pick<Server, 'of'>): (events: HubEvent[]) => void {
  const agents = io.of('/agents');
  const widget = io.of('/widget');
  return (events) => {
    for (const event of events) {
      switch (event.type) {
        case 'conversation:new':
        case 'conversation:updated':
          agents.to(AGENTS_ROOM).emit(event.type, event.conversation);
          break;
        case 'message:new':
          agents.to(AGENTS_ROOM).emit('message:new', event.message);
          // The widget already shows what its visitor sent; it needs the answers, on chat only.
          if (event.message.direction === 'outbound' && event.message.channel === 'chat') {
            widget.to(customerRoom(event.message.customerId)).emit('message:new', event.message);
          }
          break;
      }
    }
  };
}
