import type { HubEvent } from '../domain/context';
import { AGENTS_ROOM, agentRoom, customerRoom } from './rooms';

/** A Socket.IO server or a Redis emitter (workers): both can emit to a namespace's rooms. */
export type RoomEmitter = {
  of(namespace: string): {
    to(room: string): { emit(event: string, payload: unknown): unknown };
    in(room: string): { socketsJoin(room: string): unknown };
  };
};

/** Sends domain events to the rooms that should see them, on every server process. */
export function createPublisher(io: RoomEmitter): (events: HubEvent[]) => void {
  const agents = io.of('/agents');
  const widget = io.of('/widget');
  return (events) => {
    for (const event of events) {
      switch (event.type) {
        case 'conversation:new':
          agents.to(AGENTS_ROOM).emit(event.type, event.conversation);
          break;
        case 'conversation:updated': {
          const { conversation } = event;
          agents.to(AGENTS_ROOM).emit(event.type, conversation);
          // The widget offers the rating when its chat is resolved; the status alone tells it all it needs.
          if (conversation.channel === 'chat') {
            widget.to(customerRoom(conversation.customerId)).emit('conversation:status', { conversationId: conversation.id, status: conversation.status });
          }
          break;
        }
        case 'message:new':
          agents.to(AGENTS_ROOM).emit('message:new', event.message);
          // Every chat message, the visitor's own included: their other tabs show what this one sent.
          if (event.message.channel === 'chat') widget.to(customerRoom(event.message.customerId)).emit('message:new', event.message);
          break;
        case 'messages:read': {
          const { customerId, reader, ...receipt } = event.receipt;
          if (reader === 'customer') agents.to(AGENTS_ROOM).emit('messages:read', { ...receipt, reader });
          else widget.to(customerRoom(customerId)).emit('messages:read', { ...receipt, reader });
          break;
        }
        case 'message:updated':
          agents.to(AGENTS_ROOM).emit('message:updated', event.message);
          break;
        case 'note:new':
          agents.to(AGENTS_ROOM).emit('note:new', event.note);
          break;
        case 'conversation:assigned':
          agents.to(agentRoom(event.agentId)).emit('conversation:assigned', event.conversation);
          break;
        case 'sla:alert':
          for (const agentId of event.agentIds) {
            agents.to(agentRoom(agentId)).emit(event.alert.stage === 'warning' ? 'sla:warning' : 'sla:breached', event.alert);
          }
          break;
        case 'queue:position':
          widget.to(customerRoom(event.customerId)).emit('queue:position', { conversationId: event.conversationId, position: event.position });
          break;
        case 'campaign:stats':
          agents.to(AGENTS_ROOM).emit('campaign:stats', { campaignId: event.campaignId, stats: event.stats });
          break;
        case 'campaign:updated':
          agents.to(AGENTS_ROOM).emit('campaign:updated', event.campaign);
          break;
        case 'customer:merged':
          agents.to(AGENTS_ROOM).emit('customer:merged', { mergeId: event.mergeId, sourceId: event.sourceId, targetId: event.targetId });
          // The merged customer's open widgets (every tab, any server) now hear the survivor's answers.
          widget.in(customerRoom(event.sourceId)).socketsJoin(customerRoom(event.targetId));
          break;
      }
    }
  };
}
