import { io } from 'socket.io-client';
import { addToOutbox, isInOutbox, outboxEntries, randomId, releaseLock, removeFromOutbox, tryLock, type OutboxEntry } from './outbox';
import { KEYS, read, write } from './storage';
import { withMessages, withPending, withPendingStatus, fromSupport, type Store } from './store';
import type { Ack, Attachment, IdentifyClaim, IdentifyResult, Message } from './types';

const ACK_TIMEOUT_MS = 10_000;
/** Entries another tab claimed but never sent (it was closed) are picked up on this beat. */
const SWEEP_MS = 5_000;
const AGENT_TYPING_MS = 8_000;
/** Refusals worth sending again later; any other error code means the hub will never take it. */
const TRANSIENT = new Set(['internal', 'unavailable', 'rate_limited']);

class Disconnected extends Error {}

/**
 * The widget's link to the hub: one Socket.IO connection to /widget, the outbox that makes sends
 * survive drops and reloads, and the catch-up that fills gaps after every (re)connect.
 */
export function connect(hub: string, store: Store, onLiveMessage: (message: Message) => void) {
  const socket = io(`${hub}/widget`, {
    // WebSocket only: no long-polling fallback keeps several hub processes free of sticky sessions.
    transports: ['websocket'],
    auth: (give) => {
      const visitorId = read(KEYS.visitorId);
      give(visitorId ? { visitorId } : {});
    },
    reconnectionDelayMax: 3_000,
  });
  const tabs = 'BroadcastChannel' in window ? new BroadcastChannel(`supporthub:${hub}`) : null;
  /** Bubbles whose send failed in this tab: they wait for the retry button or the next reconnect. */
  const failedHere = new Set<string>();
  let flushing = false;
  let flushAgain = false;
  let waiters: Array<() => void> = [];

  const ready = () => socket.connected && store.get().connected && navigator.onLine;

  function request<T>(event: string, payload: unknown): Promise<Ack<T>> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, ack?: Ack<T>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off('disconnect', onDrop);
        if (error) reject(error);
        else resolve(ack!);
      };
      const onDrop = () => finish(new Disconnected('disconnected'));
      const timer = setTimeout(() => finish(new Error(`${event}: no answer from the hub`)), ACK_TIMEOUT_MS);
      socket.once('disconnect', onDrop);
      socket.emit(event, payload, (ack: Ack<T>) => finish(null, ack));
    });
  }

  function receive(messages: Message[], live: boolean): void {
    const known = new Set(store.get().messages.map((message) => message.id));
    const fresh = messages.filter((message) => !known.has(message.id));
    if (fresh.length === 0) return;
    store.update((state) => ({
      ...withMessages(state, fresh),
      ...(fresh.some(fromSupport) ? { agentTyping: null } : {}),
    }));
    // The hub has it (echoed, caught up or acked in another tab): it is no longer unsent.
    for (const message of fresh) if (message.clientId) removeFromOutbox(message.clientId);
    if (live) fresh.forEach(onLiveMessage);
  }

  async function catchUp(fromScratch: boolean): Promise<void> {
    let afterId = fromScratch ? undefined : store.get().messages.at(-1)?.id;
    for (;;) {
      const ack = await request<{ messages: Message[]; hasMore: boolean }>('messages:since', afterId ? { afterId } : {});
      if (!ack.ok) {
        // The anchor belongs to a customer this visitor was merged away from: start over.
        if (ack.error.code === 'message_not_found' && afterId) {
          afterId = undefined;
          continue;
        }
        throw new Error(ack.error.message);
      }
      receive(ack.messages, false);
      if (!ack.hasMore || ack.messages.length === 0) return;
      afterId = ack.messages.at(-1)!.id;
    }
  }

  /** Sends the outbox oldest first, one at a time, so the hub stores messages in the order typed. */
  async function flush(): Promise<void> {
    if (flushing) {
      flushAgain = true;
      return;
    }
    flushing = true;
    let sent = false;
    try {
      do {
        flushAgain = false;
        for (const entry of outboxEntries(hub)) {
          if (!ready()) return;
          // Another tab may have delivered it since the list was read.
          if (!isInOutbox(entry.clientId)) continue;
          if (failedHere.has(entry.clientId) || !tryLock(entry.clientId, ACK_TIMEOUT_MS + 2_000)) continue;
          const outcome = await transmit(entry);
          if (outcome === 'stop') return;
          sent ||= outcome === 'sent';
        }
      } while (flushAgain);
    } finally {
      flushing = false;
      if (sent) void refreshQueuePosition();
    }
  }

  async function transmit(entry: OutboxEntry): Promise<'sent' | 'failed' | 'stop'> {
    store.update((state) => withPendingStatus(state, entry.clientId, 'sending'));
    const attachmentIds = entry.attachments.map((attachment) => attachment.id);
    try {
      const ack = await request<{ message: Message; duplicate: boolean }>('message:send', {
        clientId: entry.clientId,
        body: entry.body,
        ...(attachmentIds.length ? { attachmentIds } : {}),
      });
      if (ack.ok) {
        removeFromOutbox(entry.clientId);
        tabs?.postMessage({ type: 'acked', message: ack.message });
        receive([ack.message], true);
        return 'sent';
      }
      releaseLock(entry.clientId);
      if (!TRANSIENT.has(ack.error.code)) removeFromOutbox(entry.clientId);
      markFailed(entry.clientId);
      store.update({ error: ack.error.message });
      return 'failed';
    } catch (error) {
      releaseLock(entry.clientId);
      // A drop is not a failure: the entry stays queued and goes out after the reconnect.
      if (!(error instanceof Disconnected)) markFailed(entry.clientId);
      return 'stop';
    }
  }

  function markFailed(clientId: string): void {
    failedHere.add(clientId);
    store.update((state) => withPendingStatus(state, clientId, 'failed'));
  }

  async function refreshQueuePosition(): Promise<void> {
    if (!ready()) return;
    // The queue line is a nicety: a lost answer is corrected by the hub's next queue:position push.
    const ack = await request<{ position: number | null }>('queue:position', {}).catch(() => null);
    if (ack?.ok) store.update({ queuePosition: ack.position });
  }

  async function resync(fromScratch = false): Promise<void> {
    try {
      await catchUp(fromScratch);
    } catch (error) {
      if (error instanceof Disconnected) return;
      store.update({ error: (error as Error).message });
    }
    failedHere.clear();
    await flush();
    await refreshQueuePosition();
  }

  function whenReady(): Promise<void> {
    return ready() ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
  }

  function wakeWaiters(): void {
    if (!ready()) return;
    const waiting = waiters;
    waiters = [];
    waiting.forEach((resolve) => resolve());
  }

  socket.on('session', (session: { visitorId: string }) => {
    write(KEYS.visitorId, session.visitorId);
    store.update({ visitorId: session.visitorId, connected: true, error: null });
    wakeWaiters();
    void resync();
  });
  socket.on('disconnect', () => store.update({ connected: false }));
  socket.on('message:new', (message: Message) => receive([message], true));
  socket.on('agent:typing', (event: { agent: { name: string | null; avatarUrl?: string | null }; typing: boolean }) => {
    const until = Date.now() + AGENT_TYPING_MS;
    store.update({ agentTyping: event.typing ? { name: event.agent.name, avatarUrl: event.agent.avatarUrl ?? null, until } : null });
    if (event.typing) setTimeout(() => store.update((state) => (state.agentTyping?.until === until ? { agentTyping: null } : {})), AGENT_TYPING_MS);
  });
  socket.on('messages:read', (event: { reader: string; upToId: string }) => {
    if (event.reader === 'agent') store.update({ agentReadUpTo: event.upToId });
  });
  socket.on('conversation:status', (event: { conversationId: string; status: string }) => {
    const over = event.status === 'resolved' || event.status === 'closed';
    store.update((state) => {
      if (over && state.csat?.conversationId !== event.conversationId) return { csat: { conversationId: event.conversationId, state: 'ask' } };
      if (!over && state.csat?.conversationId === event.conversationId && state.csat.state === 'ask') return { csat: null };
      return {};
    });
  });
  socket.on('queue:position', (event: { position: number | null }) => store.update({ queuePosition: event.position }));

  tabs?.addEventListener('message', (event: MessageEvent<{ type: string; message: Message }>) => {
    if (event.data.type === 'acked') receive([event.data.message], true);
  });
  // Another tab queued a message: show it here too, as it will appear in this tab once sent.
  window.addEventListener('storage', (event) => {
    if (event.key !== KEYS.outbox) return;
    for (const entry of outboxEntries(hub)) store.update((state) => withPending(state, { ...entry, status: 'sending' }));
  });
  window.addEventListener('online', () => {
    store.update({ browserOnline: true });
    wakeWaiters();
    void flush();
  });
  window.addEventListener('offline', () => store.update({ browserOnline: false }));
  setInterval(() => void flush(), SWEEP_MS);

  for (const entry of outboxEntries(hub)) store.update((state) => withPending(state, { ...entry, status: 'sending' }));

  return {
    whenReady,
    /** Queues a message (optimistic bubble at once) and sends it as soon as the hub is reachable. */
    send(body: string, attachments: Attachment[]): void {
      const entry: OutboxEntry = { hub, clientId: randomId(), body, attachments, createdAt: new Date().toISOString() };
      addToOutbox(entry);
      // A new message starts a new exchange: the old rating card and error no longer apply.
      store.update((state) => ({ ...withPending(state, { ...entry, status: 'sending' }), csat: null, error: null }));
      void flush();
    },
    retry(clientId: string): void {
      const bubble = store.get().pending.find((pending) => pending.clientId === clientId);
      if (!bubble) return;
      addToOutbox({ hub, clientId, body: bubble.body, attachments: bubble.attachments, createdAt: bubble.createdAt });
      failedHere.delete(clientId);
      store.update((state) => withPendingStatus(state, clientId, 'sending'));
      void flush();
    },
    typing(typing: boolean): void {
      if (ready()) socket.emit('typing', { typing });
    },
    markRead(upToId: string): void {
      if (ready()) socket.emit('messages:read', { upToId });
    },
    async identify(claim: IdentifyClaim): Promise<IdentifyResult> {
      await whenReady();
      const ack = await request<IdentifyResult>('visitor:identify', claim);
      if (!ack.ok) throw Object.assign(new Error(ack.error.message), { code: ack.error.code });
      // A verified identity may have merged this visitor into a known customer: load that history.
      if (ack.merged) void resync(true);
      return ack;
    },
    async rate(conversationId: string, rating: number): Promise<void> {
      await whenReady();
      const ack = await request<object>('csat:submit', { conversationId, rating });
      if (!ack.ok && ack.error.code !== 'csat_already_given') throw new Error(ack.error.message);
      store.update({ csat: { conversationId, state: 'sent' } });
    },
  };
}

export type Connection = ReturnType<typeof connect>;
