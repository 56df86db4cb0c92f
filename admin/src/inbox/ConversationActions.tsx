import { useReducer } from 'preact/hooks';
import type { Agent, Conversation, ConversationStatus, Priority } from '../api/types';
import { directory } from '../data/directory';
import { useStore } from '../store';
import { intentLabel } from './inboxView';
import { MergeControl } from './MergeControl';
import { changeConversation, correctIntent } from './openConversation';
import { SnoozeControl } from './SnoozeControl';
import { TagEditor } from './TagEditor';

const STATUSES: ConversationStatus[] = ['open', 'pending', 'resolved', 'closed'];
const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

type Presence = 'available' | 'away' | 'offline';
/** Shown offline when no console is connected or the agent chose to appear offline; still assignable. */
export const presenceOf = (agent: Agent | undefined): Presence =>
  !agent?.online || agent.status === 'offline' ? 'offline' : agent.status === 'away' ? 'away' : 'available';
const PRESENCE_MARK: Record<Presence, string> = { available: '●', away: '◐', offline: '○' };

/** Assignment, team, status, priority, intent, tags, snooze and merge of the open conversation. */
export function ConversationActions({ conversation }: { conversation: Conversation }) {
  const { agents, teams, intents } = useStore(directory);
  // A refused change re-renders, so each select shows the conversation's real value again.
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const change = async (body: Record<string, unknown>, done?: string) => {
    if (!(await changeConversation(conversation.id, body, done))) rerender(0);
  };
  const assignee = agents.find((agent) => agent.id === conversation.assigneeId);
  const intent = conversation.intent ?? 'unknown';
  const intentHint =
    conversation.intentSource === 'agent'
      ? 'Set by an agent'
      : conversation.intentConfidence !== null
        ? `Classifier, ${Math.round(conversation.intentConfidence * 100)}% sure`
        : 'Not classified yet';

  return (
    <div class="conv-actions">
      <div class="action-row">
        <label class="action">
          <span>Assignee</span>
          <span class="assign-field">
            <span class={`presence presence-${presenceOf(assignee)}`} aria-hidden="true" hidden={!assignee} />
            <select
              data-testid="action-assign"
              value={conversation.assigneeId ?? ''}
              onChange={(event) => {
                const id = event.currentTarget.value;
                const name = agents.find((agent) => agent.id === id)?.name;
                void change({ assigneeId: id || null }, name ? `Assigned to ${name}` : 'Unassigned');
              }}
            >
              <option value="">Unassigned</option>
              {conversation.assigneeId && !assignee && <option value={conversation.assigneeId}>Unknown agent</option>}
              {agents.map((agent) => {
                const presence = presenceOf(agent);
                return (
                  <option key={agent.id} value={agent.id}>
                    {`${PRESENCE_MARK[presence]} ${agent.name} (${presence})`}
                  </option>
                );
              })}
            </select>
          </span>
        </label>
        <label class="action">
          <span>Team</span>
          <select
            data-testid="action-team"
            value={conversation.teamId ?? ''}
            onChange={(event) => {
              const team = teams.find((item) => item.id === event.currentTarget.value);
              if (team) void change({ teamId: team.id }, `Transferred to ${team.name}`);
            }}
          >
            {!conversation.teamId && (
              <option value="" disabled>
                No team
              </option>
            )}
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label class="action">
          <span>Status</span>
          <select data-testid="action-status" value={conversation.status} onChange={(event) => void change({ status: event.currentTarget.value })}>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {capital(status)}
              </option>
            ))}
          </select>
        </label>
        <label class="action">
          <span>Priority</span>
          <select data-testid="action-priority" value={conversation.priority} onChange={(event) => void change({ priority: event.currentTarget.value })}>
            {PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {capital(priority)}
              </option>
            ))}
          </select>
        </label>
        <label class="action" title={intentHint}>
          <span>Intent</span>
          <select
            data-testid="action-intent"
            value={intent}
            onChange={async (event) => {
              if (!(await correctIntent(conversation.id, event.currentTarget.value))) rerender(0);
            }}
          >
            {!intents.includes(intent) && <option value={intent}>{intentLabel(intent)}</option>}
            {intents.map((name) => (
              <option key={name} value={name}>
                {intentLabel(name)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="action-row">
        <TagEditor conversation={conversation} />
        <SnoozeControl conversation={conversation} />
        <MergeControl conversation={conversation} />
      </div>
    </div>
  );
}
