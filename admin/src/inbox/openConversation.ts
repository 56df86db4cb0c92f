import { http } from '../api/http';
import { onLive } from '../api/live';
import type { Conversation } from '../api/types';
import { toast } from '../components/Toasts';
import { loadThread } from '../conversation/threadStore';
import { createStore } from '../store';
import { applyConversation, inbox, isOlder, refreshCountsSoon, setOpenConversation } from './inboxStore';

export type OpenState = { id: string | null; conversation: Conversation | null; error: string | null };

/** The conversation shown in the pane, whether or not the current view lists it. */
export const openConversation = createStore<OpenState>({ id: null, conversation: null, error: null });

/** A newer copy of a conversation reaches the pane and the list alike. */
export function conversationChanged(conversation: Conversation): void {
  const state = openConversation.get();
  if (state.id === conversation.id && !(state.conversation && isOlder(conversation, state.conversation))) {
    openConversation.set({ ...state, conversation: { ...state.conversation, ...conversation }, error: null });
  }
  applyConversation(conversation);
}

/** Opens a conversation: the list's copy shows at once, the hub's fresh one follows. Returns the close. */
export function showConversation(id: string): () => void {
  const listed = inbox.get().items.find((item) => item.id === id) ?? null;
  openConversation.set({ id, conversation: listed, error: null });
  setOpenConversation(id);
  http
    .get<Conversation>(`/api/conversations/${encodeURIComponent(id)}`)
    .then(conversationChanged)
    .catch((error: Error) => {
      if (openConversation.get().id === id) openConversation.set({ id, conversation: openConversation.get().conversation, error: error.message });
    });
  const follow = (conversation: Conversation) => conversation.id === id && conversationChanged(conversation);
  const stops = [onLive('conversation:updated', follow), onLive('conversation:assigned', follow)];
  return () => {
    for (const stop of stops) stop();
    if (openConversation.get().id === id) openConversation.set({ id: null, conversation: null, error: null });
    if (inbox.get().openId === id) setOpenConversation(null);
  };
}

/** Runs an action on the hub; its answer is shown, a refusal becomes a toast with the hub's words. */
export async function act(run: () => Promise<Conversation>, done?: string): Promise<Conversation | null> {
  try {
    const conversation = await run();
    conversationChanged(conversation);
    // The badges follow without waiting for the live event (the socket may be reconnecting).
    refreshCountsSoon();
    if (done) toast(done);
    return conversation;
  } catch (error) {
    toast((error as Error).message, 'error');
    return null;
  }
}

const path = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

export const changeConversation = (id: string, change: Record<string, unknown>, done?: string) =>
  act(() => http.patch<Conversation>(path(id), change), done);

export const correctIntent = (id: string, intent: string) => act(() => http.put<Conversation>(`${path(id)}/intent`, { intent }), 'Intent corrected');

/** Merges another conversation in; the thread is read again, since the moved messages come with no live event. */
export async function mergeInto(id: string, sourceId: string) {
  const merged = await act(() => http.post<Conversation>(`${path(id)}/merge`, { sourceId }), 'Conversations merged');
  if (merged) void loadThread(id);
  return merged;
}

/** The `e` shortcut and the Resolve button. */
export const resolveConversation = (id: string) => changeConversation(id, { status: 'resolved' }, 'Resolved');
