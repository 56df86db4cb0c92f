import { useEffect, useRef } from 'preact/hooks';
import { useStoreState, useT, useWidget } from '../context';
import { currentAgent } from '../store';
import { Avatar } from './Avatar';
import { MessageBubble } from './MessageBubble';

/** The index of the visitor's last sent message if support has read up to (or past) it. */
function seenIndex(messages: { id: string; direction: string }[], readUpTo: string | null): number {
  if (!readUpTo) return -1;
  const readIndex = messages.findIndex((message) => message.id === readUpTo);
  if (readIndex === -1) return -1;
  const lastOwn = messages.findLastIndex((message) => message.direction === 'inbound');
  return lastOwn !== -1 && lastOwn <= readIndex ? lastOwn : -1;
}

export function MessageList() {
  const { language } = useWidget();
  const state = useStoreState();
  const t = useT();
  const list = useRef<HTMLDivElement>(null);
  const thread = useRef<HTMLDivElement>(null);
  const agent = currentAgent(state);
  const typing = state.agentTyping;
  const seen = seenIndex(state.messages, state.agentReadUpTo);
  const greeting = state.settings.greeting[language] || t('greeting');

  // Follow the conversation while the visitor is at the bottom, also when the footer grows
  // (a rating card, uploads) and squeezes the list or an image loads and grows the thread;
  // leave them alone while they scroll back.
  const pinned = useRef(true);
  const lastTop = useRef(0);
  const toBottom = () => list.current && (list.current.scrollTop = list.current.scrollHeight);
  useEffect(() => {
    const element = list.current!;
    const observer = new ResizeObserver(() => pinned.current && toBottom());
    observer.observe(element);
    observer.observe(thread.current!);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (pinned.current || state.pending.length > 0) toBottom();
  }, [state.messages.length, state.pending.length, typing, state.open]);

  return (
    <div
      class="messages"
      data-testid="messages"
      ref={list}
      role="log"
      aria-live="polite"
      onScroll={(event) => {
        const element = event.currentTarget;
        // Only scrolling up lets go: the scroll event of our own jump to the bottom can arrive
        // after an image grew the thread, and must not read as the visitor leaving the bottom.
        const up = element.scrollTop < lastTop.current;
        lastTop.current = element.scrollTop;
        if (element.scrollHeight - element.scrollTop - element.clientHeight < 40) pinned.current = true;
        else if (up) pinned.current = false;
      }}
    >
      <div class="thread" ref={thread}>
        <div class="greeting">
          <p>{greeting}</p>
          {state.messages.length === 0 && state.pending.length === 0 && <p class="hint">{t('empty')}</p>}
        </div>
        {state.messages.map((message, index) => (
          <MessageBubble key={message.id} message={message} seen={index === seen} />
        ))}
        {state.pending.map((bubble) => (
          <MessageBubble key={bubble.clientId} pending={bubble} />
        ))}
        {typing && (
          <div class="typing" data-testid="typing">
            <Avatar name={typing.name ?? agent?.name ?? t('team')} url={typing.avatarUrl} size={24} />
            <span class="dots" aria-label={t('typing', { name: typing.name ?? t('team') })}>
              <i />
              <i />
              <i />
            </span>
          </div>
        )}
      </div>
    </div>
  );
}
