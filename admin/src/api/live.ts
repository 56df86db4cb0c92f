import { io, type Socket } from 'socket.io-client';
import { createStore } from '../store';
import { endSession } from './session';
import { ApiError } from './http';

const ACK_TIMEOUT_MS = 10_000;

export type LiveState = 'connecting' | 'online' | 'offline';

/** Events the hub pushes to consoles (README, "/agents"). */
export type LiveEvents = {
  'conversation:new': (conversation: import('./types').Conversation) => void;
  'conversation:updated': (conversation: import('./types').Conversation) => void;
  'conversation:assigned': (conversation: import('./types').Conversation) => void;
  'message:new': (message: import('./types').Message) => void;
  'message:updated': (message: import('./types').Message) => void;
  'note:new': (note: import('./types').Note) => void;
  'visitor:typing': (event: { conversationId: string; customerId: string; typing: boolean }) => void;
  'messages:read': (event: { conversationId: string; reader: 'customer' | 'agent'; upToId: string }) => void;
  'agent:presence': (event: { agentId: string; online: boolean; status: import('./types').AgentStatus }) => void;
  'customer:merged': (event: { mergeId: string; sourceId: string; targetId: string }) => void;
  'sla:warning': (event: SlaAlert) => void;
  'sla:breached': (event: SlaAlert) => void;
  'campaign:stats': (event: { campaignId: string; stats: Record<string, number> }) => void;
  'campaign:updated': (campaign: { id: string; status: string }) => void;
};
export type SlaAlert = { conversationId: string; target: string; stage: string; dueAt: string; teamId: string | null; priority: string };

export const liveState = createStore<LiveState>('connecting');

const RECONNECTED = 'live:connected';
export const onLiveConnected = (listener: () => void) => onLive(RECONNECTED as keyof LiveEvents, listener as never);

let socket: Socket | null = null;
/** Listeners outlive sockets: a component may subscribe before the socket exists or after a re-login. */
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();

/** One /agents socket per signed-in console; it reconnects by itself and re-reads the token each time. */
export function connectLive(token: string): Socket {
  socket?.disconnect();
  liveState.set('connecting');
  const next = io('/agents', { transports: ['websocket'], auth: { token }, reconnectionDelayMax: 5_000 });
  next.on('connect', () => {
    liveState.set('online');
    // After a drop, views re-read what they show: events sent while offline are not replayed.
    for (const listener of [...(listeners.get(RECONNECTED) ?? [])]) listener();
  });
  next.on('disconnect', (reason) => {
    liveState.set('offline');
    // The hub hung up on purpose (signed out elsewhere, token revoked): the session is over.
    if (reason === 'io server disconnect') endSession('expired');
  });
  next.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    liveState.set('offline');
    if (error.data?.code === 'unauthorized') endSession('expired');
  });
  next.onAny((event: string, ...args: unknown[]) => {
    for (const listener of [...(listeners.get(event) ?? [])]) listener(...args);
  });
  socket = next;
  return next;
}

export function disconnectLive(): void {
  socket?.disconnect();
  socket = null;
  liveState.set('offline');
}

export function onLive<E extends keyof LiveEvents>(event: E, listener: LiveEvents[E]): () => void {
  const forEvent = listeners.get(event) ?? new Set();
  listeners.set(event, forEvent);
  const untyped = listener as (...args: unknown[]) => void;
  forEvent.add(untyped);
  return () => forEvent.delete(untyped);
}

/** Emits with an ack; a refusal (`ok: false`) or a timeout becomes an ApiError. */
export async function emitLive<T>(event: string, payload: unknown): Promise<T> {
  if (!socket?.connected) throw new ApiError(0, 'offline', 'Not connected to the hub; it will retry when the connection is back.');
  let ack: { ok: boolean; error?: { code: string; message: string } } & T;
  try {
    ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
  } catch {
    throw new ApiError(0, 'timeout', 'The hub did not answer in time.');
  }
  if (!ack.ok) throw new ApiError(400, ack.error?.code ?? 'refused', ack.error?.message ?? 'Refused');
  return ack;
}
