import { http } from '../api/http';
import { onLive, onLiveConnected } from '../api/live';
import type { Agent, Conversation, ConversationCounts, Message, Page } from '../api/types';
import { directory } from '../data/directory';
import { createStore } from '../store';
import { compareConversations, matchesView, type View, viewQuery } from './inboxView';

const PAGE_SIZE = 50;
const COUNTS_DEBOUNCE_MS = 400;

export type InboxState = {
  view: View | null;
  items: Conversation[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  /** The conversation open in the pane: its new messages are read as they arrive. */
  openId: string | null;
};

/** The rows of the current view, kept live. */
export const inbox = createStore<InboxState>({ view: null, items: [], nextCursor: null, loading: false, loadingMore: false, error: null, openId: null });

/** The sidebar's badges (null until the hub answered). */
export const inboxCounts = createStore<ConversationCounts | null>(null);

let me: Pick<Agent, 'id'> = { id: '' };
/** Answers of an older request (another view, an earlier reload) are dropped. */
let generation = 0;
/** Events were not followed for a while (the inbox was not shown): the rows may be out of date. */
let stale = true;

const myTeamIds = () => directory.get().teams.filter((team) => team.members.some((member) => member.agentId === me.id)).map((team) => team.id);
const patch = (change: Partial<InboxState>) => inbox.update((state) => ({ ...state, ...change }));
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Shows a view for this agent: the first page is read when the view changes. */
export function showView(view: View, agent: Pick<Agent, 'id'>): void {
  const sameList = inbox.get().view === view && me.id === agent.id;
  me = agent;
  if (sameList && !stale) return;
  stale = false;
  if (!sameList) patch({ view, items: [], nextCursor: null, error: null });
  void reloadView();
}

/** Re-reads the view from the top, as many rows as are shown (within one page of the hub). */
export async function reloadView(): Promise<void> {
  const { view, items } = inbox.get();
  if (!view) return;
  const request = ++generation;
  patch({ loading: true, loadingMore: false, error: null });
  try {
    const limit = Math.min(100, Math.max(PAGE_SIZE, items.length));
    const page = await http.get<Page<Conversation>>('/api/conversations', { ...viewQuery(view), limit });
    if (request !== generation) return;
    const openId = inbox.get().openId;
    patch({ items: page.items.map((item) => readIfOpen(item, openId)), nextCursor: page.nextCursor, loading: false });
  } catch (error) {
    if (request === generation) patch({ loading: false, error: errorText(error) });
  }
}

/** The next page, when the end of the list comes into sight. */
export async function loadMore(): Promise<void> {
  const { view, nextCursor, loading, loadingMore } = inbox.get();
  if (!view || !nextCursor || loading || loadingMore) return;
  const request = generation;
  patch({ loadingMore: true });
  try {
    const page = await http.get<Page<Conversation>>('/api/conversations', { ...viewQuery(view), limit: PAGE_SIZE, cursor: nextCursor });
    if (request !== generation) return;
    inbox.update((state) => {
      const known = new Set(state.items.map((item) => item.id));
      const fresh = page.items.filter((item) => !known.has(item.id)).map((item) => readIfOpen(item, state.openId));
      return { ...state, items: [...state.items, ...fresh], nextCursor: page.nextCursor, loadingMore: false };
    });
  } catch (error) {
    if (request === generation) patch({ loadingMore: false, error: errorText(error) });
  }
}

/** Events and answers may cross: a copy older than the one shown is ignored. */
export const isOlder = (incoming: Conversation, shown: Conversation) => Date.parse(incoming.updatedAt) < Date.parse(shown.updatedAt);

const readIfOpen = (conversation: Conversation, openId: string | null) =>
  conversation.id === openId && conversation.unreadCount ? { ...conversation, unreadCount: 0 } : conversation;

/** The pane opened (or closed) a conversation; its unread badge goes (the thread marks it read). */
export function setOpenConversation(id: string | null): void {
  inbox.update((state) => ({ ...state, openId: id, items: state.items.map((item) => readIfOpen(item, id)) }));
}

/** A newer state of a conversation (live event or an action's answer): keep, move, add or drop its row. */
export function applyConversation(conversation: Conversation): void {
  inbox.update((state) => {
    if (!state.view) return state;
    const index = state.items.findIndex((item) => item.id === conversation.id);
    const shown = state.items[index];
    if (shown && isOlder(conversation, shown)) return state;
    // Fields a sender left out (an older hub) keep what the row knew.
    const incoming = readIfOpen(shown ? { ...shown, ...conversation } : conversation, state.openId);
    const belongs = matchesView(incoming, state.view, me, myTeamIds());
    if (index === -1 && !belongs) return state;
    if (index !== -1 && !belongs) return { ...state, items: state.items.filter((item) => item.id !== incoming.id) };
    const last = state.items[state.items.length - 1];
    // A row that sorts after the last loaded one arrives with its page; adding it now would leave a gap.
    if (index === -1 && state.nextCursor && last && compareConversations(incoming, last) > 0) return state;
    const items = index === -1 ? [...state.items, incoming] : state.items.map((item) => (item.id === incoming.id ? incoming : item));
    return { ...state, items: items.sort(compareConversations) };
  });
}

/**
 * A new message moves its row: preview, waiting time and unread count. The hub sends the
 * conversation itself just before; when that copy already counts the message, it is left alone.
 */
export function applyMessage(message: Message): void {
  inbox.update((state) => {
    const row = state.items.find((item) => item.id === message.conversationId);
    if (!row || (row.lastMessage && row.lastMessage.createdAt >= message.createdAt)) return state;
    const fromCustomer = message.direction === 'inbound';
    const next: Conversation = {
      ...row,
      lastMessageAt: message.createdAt,
      lastMessage: { body: message.body.slice(0, 200), direction: message.direction, authorKind: message.author.kind, createdAt: message.createdAt },
      unreadCount: fromCustomer && row.id !== state.openId ? row.unreadCount + 1 : row.unreadCount,
      waitingSince: fromCustomer ? (row.waitingSince ?? message.createdAt) : message.author.kind === 'agent' ? null : row.waitingSince,
    };
    return { ...state, items: state.items.map((item) => (item.id === row.id ? next : item)).sort(compareConversations) };
  });
}

export async function refreshCounts(): Promise<void> {
  try {
    inboxCounts.set(await http.get<ConversationCounts>('/api/conversations/counts'));
  } catch {
    // The badges are a convenience: the next event or reconnect tries again.
  }
}

let countsTimer: ReturnType<typeof setTimeout> | undefined;
/** Several changes in a burst (a busy minute, a bulk assignment) ask for the counts once. */
export function refreshCountsSoon(): void {
  clearTimeout(countsTimer);
  countsTimer = setTimeout(() => void refreshCounts(), COUNTS_DEBOUNCE_MS);
}

/** Keeps the list and the badges live while the inbox is shown; returns the unsubscribe. */
export function followInboxLive(): () => void {
  const onConversation = (conversation: Conversation) => {
    applyConversation(conversation);
    refreshCountsSoon();
  };
  const stops = [
    onLive('conversation:new', onConversation),
    onLive('conversation:updated', onConversation),
    onLive('conversation:assigned', onConversation),
    onLive('message:new', (message) => {
      applyMessage(message);
      refreshCountsSoon();
    }),
    onLive('sla:warning', refreshCountsSoon),
    onLive('sla:breached', refreshCountsSoon),
    // Events sent while the socket was down are not replayed: read again what is shown.
    onLiveConnected(() => {
      void reloadView();
      refreshCountsSoon();
    }),
  ];
  void refreshCounts();
  return () => {
    stale = true;
    clearTimeout(countsTimer);
    for (const stop of stops) stop();
  };
}
