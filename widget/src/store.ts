import type { Attachment, Message, WidgetSettings } from './types';

/** A message the visitor sent that the hub has not acknowledged yet (an optimistic bubble). */
export interface Pending {
  clientId: string;
  body: string;
  attachments: Attachment[];
  createdAt: string;
  status: 'sending' | 'failed';
}

export interface State {
  open: boolean;
  /** The page is in the foreground: read receipts and "unread" depend on it. */
  pageVisible: boolean;
  connected: boolean;
  browserOnline: boolean;
  settings: WidgetSettings;
  visitorId: string | null;
  /** Acknowledged messages, oldest first, each once. */
  messages: Message[];
  pending: Pending[];
  agentTyping: { name: string | null; avatarUrl: string | null; until: number } | null;
  /** The last message id support has read (reader: agent). */
  agentReadUpTo: string | null;
  queuePosition: number | null;
  csat: { conversationId: string; state: 'ask' | 'sent' } | null;
  /** The email support will write to when nobody is online (continueByEmail was accepted). */
  emailFor: string | null;
  /** The email the visitor gave in the pre-chat form, offered again by the offline form. */
  visitorEmail: string | null;
  preChatDone: boolean;
  /** createdAt of the newest support message the visitor has seen. */
  seenAt: string | null;
  error: string | null;
}

export const DEFAULT_SETTINGS: WidgetSettings = {
  key: 'default',
  colors: { primary: '#4f46e5', onPrimary: '#ffffff' },
  greeting: { en: '', zh: '' },
  preChat: { name: 'off', email: 'off' },
  language: 'auto',
  availability: { online: true, agentsOnline: 0, withinBusinessHours: true },
  limits: { messageMaxLength: 5000, attachmentMaxBytes: 10 * 1024 * 1024 },
};

type Listener = (state: State) => void;

/** A tiny observable: one state object replaced on every change, listeners told after. */
export function createStore(initial: State) {
  let state = initial;
  const listeners = new Set<Listener>();
  return {
    get: () => state,
    update(change: Partial<State> | ((current: State) => Partial<State>)): void {
      const patch = typeof change === 'function' ? change(state) : change;
      state = { ...state, ...patch };
      for (const listener of listeners) listener(state);
    },
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Store = ReturnType<typeof createStore>;

const byTime = (a: Message, b: Message) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Merges acknowledged messages in: each id once, and a message carrying the clientId of an
 * optimistic bubble replaces that bubble (matched by clientId, never by content).
 */
export function withMessages(state: State, incoming: Message[]): Partial<State> {
  const byId = new Map(state.messages.map((message) => [message.id, message]));
  for (const message of incoming) byId.set(message.id, message);
  const confirmed = new Set(incoming.map((message) => message.clientId).filter(Boolean));
  return {
    messages: [...byId.values()].sort(byTime),
    pending: state.pending.filter((bubble) => !confirmed.has(bubble.clientId)),
  };
}

/** Adds or updates an optimistic bubble, unless the hub already acknowledged its clientId. */
export function withPending(state: State, bubble: Pending): Partial<State> {
  if (state.messages.some((message) => message.clientId === bubble.clientId)) return {};
  if (!state.pending.some((existing) => existing.clientId === bubble.clientId)) return { pending: [...state.pending, bubble] };
  return { pending: state.pending.map((existing) => (existing.clientId === bubble.clientId ? bubble : existing)) };
}

export function withPendingStatus(state: State, clientId: string, status: Pending['status']): Partial<State> {
  return { pending: state.pending.map((bubble) => (bubble.clientId === clientId ? { ...bubble, status } : bubble)) };
}

export const fromSupport = (message: Message) => message.direction === 'outbound';

export function unreadCount(state: State): number {
  const seen = state.seenAt ? Date.parse(state.seenAt) : -Infinity;
  return state.messages.filter((message) => fromSupport(message) && Date.parse(message.createdAt) > seen).length;
}

/** The agent answering the visitor: the author of support's latest message. */
export function currentAgent(state: State): { name: string; avatarUrl: string | null } | null {
  for (let i = state.messages.length - 1; i >= 0; i--) {
    const { author } = state.messages[i]!;
    if (author.kind === 'agent' && author.name) return { name: author.name, avatarUrl: author.avatarUrl ?? null };
  }
  return null;
}
