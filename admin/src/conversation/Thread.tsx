import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Agent, Conversation, Message, Note } from '../api/types';
import { agentName, directory } from '../data/directory';
import { useStore } from '../store';
import { refillComposer } from './Composer';
import { MessageItem, NoteItem, PendingMessage } from './MessageItem';
import { dayKey, dayLabel } from './messageTime';
import { discard, retry } from './outbox';
import { loadThread, markRead, noteCustomerRead, openThread, type PendingItem, threadStore, type ThreadState } from './threadStore';
import './conversation.css';

/** How many entries are drawn at first, and how many more each time the agent reaches the top. */
const WINDOW = 60;
/** Closer than this to the bottom counts as "at the bottom": new messages keep it there. */
const STICK_PX = 80;
/** Chat messages by one author this close together form one group. */
const GROUP_MS = 5 * 60_000;

type Entry = { kind: 'message'; at: string; message: Message } | { kind: 'note'; at: string; note: Note } | { kind: 'pending'; at: string; item: PendingItem };

/** Messages in the hub's order with notes slotted in by time, then what is still being sent. */
function entriesOf(state: ThreadState): Entry[] {
  const entries: Entry[] = [];
  let noteAt = 0;
  for (const message of state.messages) {
    while (noteAt < state.notes.length && state.notes[noteAt]!.createdAt <= message.createdAt) {
      const note = state.notes[noteAt++]!;
      entries.push({ kind: 'note', at: note.createdAt, note });
    }
    entries.push({ kind: 'message', at: message.createdAt, message });
  }
  for (const note of state.notes.slice(noteAt)) entries.push({ kind: 'note', at: note.createdAt, note });
  for (const item of state.pending) entries.push({ kind: 'pending', at: item.createdAt, item });
  return entries;
}

/** A chat message right after another by the same author: drawn without repeating the name and time. */
function continues(previous: Entry | undefined, entry: Entry): boolean {
  if (previous?.kind !== 'message' || entry.kind !== 'message' || entry.message.channel === 'email') return false;
  const [before, now] = [previous.message, entry.message];
  return (
    before.channel !== 'email' &&
    before.author.kind === now.author.kind &&
    before.author.id === now.author.id &&
    Date.parse(now.createdAt) - Date.parse(before.createdAt) < GROUP_MS
  );
}

/** The agent message the customer has most recently seen, to carry the "Seen" mark. */
function seenMessageId(state: ThreadState): string | null {
  const upTo = state.messages.findIndex((message) => message.id === state.customerReadUpto);
  for (let index = upTo; index >= 0; index -= 1) {
    if (state.messages[index]!.direction === 'outbound') return state.messages[index]!.id;
  }
  return null;
}

const useVisible = () => {
  const [visible, setVisible] = useState(document.visibilityState === 'visible');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
};

/** The conversation's messages and internal notes, live. */
export function Thread(props: { conversation: Conversation; me: Agent }) {
  return <ThreadView key={props.conversation.id} {...props} />;
}

function ThreadView({ conversation, me }: { conversation: Conversation; me: Agent }) {
  const store = useMemo(() => threadStore(conversation.id), [conversation.id]);
  const state = useStore(store);
  const agents = useStore(directory, (value) => value.agents);
  const visible = useVisible();
  const scroller = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const heightBeforeOlder = useRef<number | null>(null);
  const drawnBefore = useRef(0);
  const [atBottom, setAtBottom] = useState(true);
  const [newBelow, setNewBelow] = useState(false);
  // Entries not drawn above the first one shown: fixed once the thread is in, so live messages
  // join at the bottom without pushing the one the agent is reading out of place.
  const [hiddenAbove, setHiddenAbove] = useState<number | null>(null);

  useEffect(() => openThread(conversation.id), [conversation.id]);
  // What the customer had seen before this console opened the thread: "Seen" survives a reload.
  useEffect(() => {
    if (conversation.customerReadUpto) noteCustomerRead(conversation.id, conversation.customerReadUpto);
  }, [conversation.id, conversation.customerReadUpto]);

  const entries = useMemo(() => entriesOf(state), [state.messages, state.notes, state.pending]);
  const hidden = Math.min(hiddenAbove ?? Math.max(0, entries.length - WINDOW), entries.length);
  useEffect(() => {
    if (hiddenAbove === null && state.status === 'ready') setHiddenAbove(hidden);
  }, [state.status]);
  const seenId = useMemo(() => seenMessageId(state), [state.messages, state.customerReadUpto]);

  const toBottom = () => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  };

  useLayoutEffect(() => {
    const element = scroller.current;
    const grew = entries.length > drawnBefore.current;
    drawnBefore.current = entries.length;
    if (!element) return;
    if (heightBeforeOlder.current !== null) {
      // Older entries were drawn above: keep the ones the agent was reading where they were.
      element.scrollTop += element.scrollHeight - heightBeforeOlder.current;
      heightBeforeOlder.current = null;
    } else if (stick.current || (grew && entries[entries.length - 1]?.kind === 'pending')) {
      // What the agent just sent is always brought into view.
      stick.current = true;
      toBottom();
    } else if (grew) setNewBelow(true);
  }, [entries.length, hidden, state.visitorTyping]);

  // Emails grow once their frames have laid out; the view follows when it was at the bottom.
  useEffect(() => {
    if (!list.current) return;
    const observer = new ResizeObserver(() => stick.current && toBottom());
    observer.observe(list.current);
    return () => observer.disconnect();
  }, [state.status]);

  const showOlder = () => {
    if (hidden === 0 || !scroller.current) return;
    heightBeforeOlder.current = scroller.current.scrollHeight;
    setHiddenAbove(Math.max(0, hidden - WINDOW));
  };

  const onScroll = () => {
    const element = scroller.current!;
    const bottom = element.scrollHeight - element.scrollTop - element.clientHeight < STICK_PX;
    stick.current = bottom;
    setAtBottom(bottom);
    if (bottom) setNewBelow(false);
    if (element.scrollTop < STICK_PX) showOlder();
  };

  const newestInbound = useMemo(() => [...state.messages].reverse().find((message) => message.direction === 'inbound')?.id ?? null, [state.messages]);
  useEffect(() => {
    if (newestInbound && atBottom && visible && state.status === 'ready') markRead(conversation.id, newestInbound);
  }, [newestInbound, atBottom, visible, state.status]);

  const customer = conversation.customerName?.trim() || 'Visitor';
  const noteAuthor = (note: Note) => note.agentName ?? agentName(agents, note.agentId) ?? 'Agent';

  let lastDay: number | null = null;
  let previous: Entry | undefined;
  const drawn = entries.slice(hidden).flatMap((entry) => {
    const key = dayKey(entry.at);
    const divider =
      key === lastDay ? [] : [<li key={`day-${key}`} class="day-divider" role="presentation"><span>{dayLabel(entry.at)}</span></li>];
    const follows = divider.length === 0 && continues(previous, entry);
    lastDay = key;
    previous = entry;
    if (entry.kind === 'message') {
      return [...divider, <MessageItem key={entry.message.id} message={entry.message} seen={entry.message.id === seenId} follows={follows} customer={customer} />];
    }
    if (entry.kind === 'note') return [...divider, <NoteItem key={entry.note.id} note={entry.note} author={noteAuthor(entry.note)} />];
    const { item } = entry;
    return [
      ...divider,
      <PendingMessage
        key={item.clientId}
        item={item}
        author={me.name}
        channel={conversation.channel}
        onRetry={() => retry(conversation.id, item.clientId)}
        onEdit={() => {
          const dropped = discard(conversation.id, item.clientId);
          if (dropped) refillComposer(conversation.id, dropped.kind, dropped.body);
        }}
      />,
    ];
  });

  return (
    <section class="thread" data-testid="thread" aria-label="Conversation thread">
      <div class="thread-scroll" ref={scroller} onScroll={onScroll} tabIndex={0} aria-label="Messages">
        {state.status === 'loading' && entries.length === 0 && <p class="thread-status muted">Loading messages…</p>}
        {state.status === 'error' && (
          <p class="thread-status error" role="alert">
            The messages could not be loaded: {state.error}{' '}
            <button type="button" class="link" onClick={() => loadThread(conversation.id)}>
              Try again
            </button>
          </p>
        )}
        {state.status === 'ready' && entries.length === 0 && <p class="thread-status muted">No messages yet.</p>}
        {hidden > 0 && (
          <button type="button" class="link thread-older" onClick={showOlder}>
            Show earlier messages ({hidden})
          </button>
        )}
        <ol class="thread-list" ref={list}>
          {drawn}
        </ol>
        {state.visitorTyping && (
          <p class="visitor-typing" data-testid="visitor-typing" aria-live="polite">
            <span class="dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {customer} is typing…
          </p>
        )}
      </div>
      {!atBottom && (
        <button
          type="button"
          class={`thread-jump${newBelow ? ' has-new' : ''}`}
          onClick={() => {
            stick.current = true;
            toBottom();
          }}
        >
          {newBelow ? 'New messages ↓' : 'Latest ↓'}
        </button>
      )}
    </section>
  );
}
