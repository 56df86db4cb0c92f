import { ApiError, http } from '../api/http';
import { emitLive, onLiveConnected } from '../api/live';
import type { Message, Note } from '../api/types';
import { conversationsWithPending, setPending, threadStore, upsertMessage, upsertNote, type PendingItem } from './threadStore';

type Sendable = Pick<PendingItem, 'kind' | 'body' | 'email'>;

/**
 * Shows the reply or note at once and sends it. A reply's client id is made once here and kept
 * for every retry, so the hub stores it once however often it is sent; the ack and the live
 * echo both land on the same message id, so it is never shown twice.
 */
export function send(conversationId: string, item: Sendable): void {
  const pending: PendingItem = {
    ...item,
    clientId: crypto.randomUUID(),
    createdAt: new Date().toISOString(),
    state: 'sending',
    error: null,
  };
  setPending(conversationId, (list) => [...list, pending]);
  void deliver(conversationId, pending);
}

/** Sends a failed item again, with the same client id. */
export function retry(conversationId: string, clientId: string): void {
  const item = threadStore(conversationId)
    .get()
    .pending.find((pending) => pending.clientId === clientId);
  if (!item || item.state === 'sending') return;
  const again: PendingItem = { ...item, state: 'sending', error: null };
  setPending(conversationId, (list) => list.map((pending) => (pending.clientId === clientId ? again : pending)));
  void deliver(conversationId, again);
}

/** Drops a failed item from the thread; the caller puts its text back where the agent can edit it. */
export function discard(conversationId: string, clientId: string): PendingItem | undefined {
  const item = threadStore(conversationId)
    .get()
    .pending.find((pending) => pending.clientId === clientId && pending.state === 'failed');
  if (item) setPending(conversationId, (list) => list.filter((pending) => pending !== item));
  return item;
}

async function deliver(conversationId: string, item: PendingItem): Promise<void> {
  try {
    if (item.kind === 'note') {
      // Notes have no client id on the hub; a retry after a lost answer may store one twice.
      const note = await http.post<Note>(`/api/conversations/${encodeURIComponent(conversationId)}/notes`, { body: item.body });
      upsertNote(conversationId, note, item.clientId);
    } else {
      const ack = await emitLive<{ message: Message }>('message:send', {
        conversationId,
        clientId: item.clientId,
        body: item.body,
        ...(item.email ? { email: item.email } : {}),
      });
      upsertMessage(conversationId, ack.message);
    }
  } catch (failure) {
    const error = failure instanceof ApiError ? { code: failure.code, message: failure.message } : { code: 'internal', message: (failure as Error).message };
    setPending(conversationId, (list) => list.map((pending) => (pending.clientId === item.clientId ? { ...pending, state: 'failed', error } : pending)));
  }
}

const CONNECTION_ERRORS = new Set(['offline', 'timeout', 'network_error']);

/** Replies that failed only because the hub was out of reach go out again once it is back. */
onLiveConnected(() => {
  for (const conversationId of conversationsWithPending()) {
    for (const item of threadStore(conversationId).get().pending) {
      if (item.state === 'failed' && item.error && CONNECTION_ERRORS.has(item.error.code)) retry(conversationId, item.clientId);
    }
  }
});
