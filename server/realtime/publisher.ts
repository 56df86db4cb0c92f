import type { HubEvent } from '../domain/context';
import { AGENTS_ROOM, customerRoom } from './rooms';

/** A Socket.IO server or a Redis emitter (workers): both can emit to a namespace's rooms. */
export type RoomEmitter = {
  of(namespace: string): { to(room: string): { emit(event: string, payload: unknown): unknown } };
};

/** Sends domain events to the rooms that should see them, on every server process. */
export function createPublisher(io: RoomEmitter): (events: HubEvent[]) => void {
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
        case 'message:updated':
          agents.to(AGENTS_ROOM).emit('message:updated', event.message);
          break;
      }
    }
  };
}
