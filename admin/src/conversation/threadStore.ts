import { emitLive, onLive, onLiveConnected } from '../api/live';
import { http } from '../api/http';
import type { Message, Note, Page } from '../api/types';
import { createStore, type Store } from '../store';

/** A reply or note the agent sent that the hub has not confirmed yet (or refused). */
export type PendingItem = {
  clientId: string;
  kind: 'reply' | 'note';
  body: string;
  email?: { subject?: string; cc?: string[] };
  createdAt: string;
  state: 'sending' | 'failed';
  error: { code: string; message: string } | null;
};

export type ThreadState = {
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  /** In the hub's order (`seq`, which is commit order). */
  messages: Message[];
  /** Oldest first. */
  notes: Note[];
  pending: PendingItem[];
  visitorTyping: boolean;
  /** The newest message the customer has seen, as their widget reported it. */
  customerReadUpto: string | null;
};

type Thread = {
  store: Store<ThreadState>;
  /** Bumped by every load, so a slow older load cannot overwrite a newer one. */
  generation: number;
  /** Messages heard live while a load runs: the load's snapshot may predate them. */
  arrivals: Message[] | null;
  lastMarkedRead: string | null;
  /** How many mounted views show this thread: only those are re-read after a reconnect. */
  views: number;
  typingTimer: ReturnType<typeof setTimeout> | undefined;
};

const PAGE = 100;
/** Conversations kept in memory; the oldest opened beyond this is dropped (and re-read if opened again). */
const KEEP = 12;
/** A visitor whose "stopped typing" got lost does not look busy forever. */
const TYPING_TIMEOUT_MS = 8_000;

const threads = new Map<string, Thread>();

const initial = (): ThreadState => ({
  status: 'loading',
  error: null,
  messages: [],
  notes: [],
  pending: [],
  visitorTyping: false,
  customerReadUpto: null,
});

function threadOf(conversationId: string): Thread {
  let thread = threads.get(conversationId);
  if (thread) {
    // Most recently used last, so the first key is the one to drop.
    threads.delete(conversationId);
    threads.set(conversationId, thread);
    return thread;
  }
  thread = { store: createStore(initial()), generation: 0, arrivals: null, lastMarkedRead: null, views: 0, typingTimer: undefined };
  threads.set(conversationId, thread);
  for (const [id, old] of threads) {
    if (threads.size <= KEEP) break;
    if (old.views === 0 && old.store.get().pending.length === 0) threads.delete(id);
  }
  return thread;
}

/** The store behind one conversation's thread (created on first use). */
export const threadStore = (conversationId: string): Store<ThreadState> => threadOf(conversationId).store;

/** Adds or replaces a message by id; a confirmed message retires the pending item with its client id. */
export function upsertMessage(conversationId: string, message: Message): void {
  const thread = threads.get(conversationId);
  if (!thread) return;
  thread.arrivals?.push(message);
  thread.store.update((state) => {
    const at = state.messages.findIndex((existing) => existing.id === message.id);
    const messages = at === -1 ? [...state.messages, message] : state.messages.map((existing, index) => (index === at ? message : existing));
    const pending = message.clientId ? state.pending.filter((item) => item.clientId !== message.clientId) : state.pending;
    const visitorTyping = message.direction === 'inbound' ? false : state.visitorTyping;
    return { ...state, messages, pending, visitorTyping };
  });
}

export function upsertNote(conversationId: string, note: Note, clientId?: string): void {
  threadOf(conversationId).store.update((state) => ({
    ...state,
    notes: state.notes.some((existing) => existing.id === note.id) ? state.notes : [...state.notes, note],
    pending: clientId ? state.pending.filter((item) => item.clientId !== clientId) : state.pending,
  }));
}

async function allPages<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  do {
    const page: Page<T> = await http.get<Page<T>>(path, { limit: PAGE, cursor: cursor ?? undefined });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * Reads the whole thread. The hub pages messages oldest first (by `seq`, with an "after"
 * cursor), so the newest are only known once every page is in; the view then shows the
 * latest and reveals older ones as the agent scrolls up. Notes come newest first.
 */
export async function loadThread(conversationId: string): Promise<void> {
  const thread = threadOf(conversationId);
  const generation = ++thread.generation;
  thread.arrivals = [];
  if (thread.store.get().status === 'error') thread.store.update((state) => ({ ...state, status: 'loading', error: null }));
  try {
    const [messages, notes] = await Promise.all([
      allPages<Message>(`/api/conversations/${encodeURIComponent(conversationId)}/messages`),
      allPages<Note>(`/api/conversations/${encodeURIComponent(conversationId)}/notes`).catch(() => [] as Note[]),
    ]);
    if (generation !== thread.generation) return;
    const loaded = new Set(messages.map((message) => message.id));
    const late = (thread.arrivals ?? []).filter((message) => !loaded.has(message.id));
    const all = [...messages, ...late];
    const confirmed = new Set(all.map((message) => message.clientId).filter(Boolean));
    thread.store.update((state) => ({
      ...state,
      status: 'ready',
      error: null,
      messages: all,
      notes: notes.reverse(),
      pending: state.pending.filter((item) => item.kind === 'note' || !confirmed.has(item.clientId)),
    }));
  } catch (error) {
    if (generation !== thread.generation) return;
    thread.store.update((state) => ({ ...state, status: state.status === 'ready' ? 'ready' : 'error', error: (error as Error).message }));
  } finally {
    if (generation === thread.generation) thread.arrivals = null;
  }
}

/** A view starts showing a thread: it is read now, and kept fresh until the returned function is called. */
export function openThread(conversationId: string): () => void {
  const thread = threadOf(conversationId);
  thread.views += 1;
  void loadThread(conversationId);
  return () => {
    thread.views -= 1;
  };
}

/** Tells the hub (and so the customer's widget) that the agent has seen the thread up to this message. */
export function markRead(conversationId: string, upToId: string): void {
  const thread = threadOf(conversationId);
  if (thread.lastMarkedRead === upToId) return;
  thread.lastMarkedRead = upToId;
  emitLive('messages:read', { conversationId, upToId }).catch(() => {
    // Tried again the next time the thread is looked at.
    if (thread.lastMarkedRead === upToId) thread.lastMarkedRead = null;
  });
}

/** Conversations with replies or notes not confirmed yet (they are never dropped from memory). */
export const conversationsWithPending = (): string[] =>
  [...threads].filter(([, thread]) => thread.store.get().pending.length > 0).map(([conversationId]) => conversationId);

export function setPending(conversationId: string, change: (pending: PendingItem[]) => PendingItem[]): void {
  threadOf(conversationId).store.update((state) => ({ ...state, pending: change(state.pending) }));
}

onLive('message:new', (message) => upsertMessage(message.conversationId, message));
onLive('message:updated', (message) => upsertMessage(message.conversationId, message));
// A colleague's note appears in a thread that is open here; threads not loaded read it when opened.
onLive('note:new', (note) => {
  if (note.conversationId && threads.has(note.conversationId)) upsertNote(note.conversationId, note);
});

onLive('visitor:typing', ({ conversationId, typing }) => {
  const thread = threads.get(conversationId);
  if (!thread) return;
  clearTimeout(thread.typingTimer);
  if (typing) thread.typingTimer = setTimeout(() => thread.store.update((state) => ({ ...state, visitorTyping: false })), TYPING_TIMEOUT_MS);
  thread.store.update((state) => ({ ...state, visitorTyping: typing }));
});

onLive('messages:read', ({ conversationId, reader, upToId }) => {
  if (reader === 'customer') noteCustomerRead(conversationId, upToId);
});

/** The customer has seen the thread up to this message (a live receipt, or the conversation as loaded). */
export function noteCustomerRead(conversationId: string, upToId: string): void {
  const thread = threads.get(conversationId);
  if (!thread) return;
  thread.store.update((state) => {
    const position = (id: string | null) => (id ? state.messages.findIndex((message) => message.id === id) : -1);
    // Receipts only move forward; one for a message not loaded yet is kept until it is.
    if (position(upToId) !== -1 && position(upToId) < position(state.customerReadUpto)) return state;
    return { ...state, customerReadUpto: upToId };
  });
}

/** After a drop, events sent meanwhile are not replayed: the threads on screen are read again. */
onLiveConnected(() => {
  // A copy: loading a thread moves it to the end of the map, which would visit it again.
  for (const [conversationId, thread] of [...threads]) {
    thread.lastMarkedRead = null;
    if (thread.views > 0) void loadThread(conversationId);
  }
});
