import type { Agent, Conversation } from '../api/types';
import { href } from '../router';
import { ChannelIcon } from './ChannelIcon';
import { intentLabel } from './inboxView';
import { fullTime, relativeTime } from './relativeTime';
import { slaState } from './slaState';

type Props = { conversation: Conversation; view: string; active: boolean; agents: Agent[]; now: number; onOpen: (id: string) => void };

export const customerLabel = (conversation: Pick<Conversation, 'customerName'>) => conversation.customerName?.trim() || 'Visitor';

const PRIORITY_LABELS = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' } as const;

function Preview({ conversation }: { conversation: Conversation }) {
  const last = conversation.lastMessage;
  const who = last?.direction === 'outbound' ? (last.authorKind === 'agent' ? 'Agent: ' : 'Auto: ') : '';
  return (
    <p class="row-preview">
      {conversation.subject && conversation.channel === 'email' && <strong>{conversation.subject} · </strong>}
      {who && <span class="muted">{who}</span>}
      {last?.body ?? <span class="muted">No messages yet</span>}
    </p>
  );
}

function Sla({ conversation, now }: { conversation: Conversation; now: number }) {
  const sla = slaState(conversation, now);
  if (!sla) return null;
  const when = relativeTime(sla.dueAt, now);
  const text = sla.state === 'breached' ? `SLA breached ${when}` : `SLA due ${when}`;
  return (
    <span class={`sla sla-${sla.state}`} title={`${sla.target} due ${fullTime(sla.dueAt)}`}>
      {text}
    </span>
  );
}

/** One conversation in the list: who, where from, what they said last, and how urgent it is. */
export function ConversationRow({ conversation, view, active, agents, now, onOpen }: Props) {
  const unread = conversation.unreadCount ?? 0;
  const assignee = conversation.assigneeId ? (agents.find((agent) => agent.id === conversation.assigneeId)?.name ?? 'An agent') : null;
  const waitingFrom = conversation.waitingSince;
  return (
    <li
      class={`conv-row${unread > 0 ? ' unread' : ''}${active ? ' active' : ''} prio-${conversation.priority}`}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
    >
      <a
        href={href(`/inbox/${view}/${encodeURIComponent(conversation.id)}`)}
        aria-current={active ? 'true' : undefined}
        onClick={(event) => {
          event.preventDefault();
          onOpen(conversation.id);
        }}
      >
        <span class="row-top">
          <ChannelIcon channel={conversation.channel} />
          <span class="row-name">{customerLabel(conversation)}</span>
          {unread > 0 && (
            <span class="badge" data-testid="unread-count" aria-label={`${unread} unread`}>
              {unread}
            </span>
          )}
          {waitingFrom ? (
            <time class="row-time waiting" dateTime={waitingFrom} title={`Waiting since ${fullTime(waitingFrom)}`}>
              {relativeTime(waitingFrom, now)}
            </time>
          ) : (
            <time class="row-time" dateTime={conversation.lastMessageAt} title={`Last message ${fullTime(conversation.lastMessageAt)}`}>
              {relativeTime(conversation.lastMessageAt, now)}
            </time>
          )}
        </span>
        <Preview conversation={conversation} />
        <span class="row-meta">
          <span class={`priority priority-${conversation.priority}`}>{PRIORITY_LABELS[conversation.priority]}</span>
          {conversation.snoozedUntil ? (
            <span class="chip" title={`Snoozed until ${fullTime(conversation.snoozedUntil)}`}>
              Snoozed
            </span>
          ) : (
            conversation.status !== 'open' && <span class="chip">{conversation.status}</span>
          )}
          {conversation.intent && conversation.intent !== 'unknown' && <span class="chip">{intentLabel(conversation.intent)}</span>}
          <Sla conversation={conversation} now={now} />
          <span class="row-assignee">{assignee ?? 'Unassigned'}</span>
        </span>
      </a>
    </li>
  );
}
