import { useEffect } from 'preact/hooks';
import type { Agent } from '../api/types';
import { Composer } from '../conversation/Composer';
import { Thread } from '../conversation/Thread';
import { CustomerPanel } from '../customers/CustomerPanel';
import { href, navigate } from '../router';
import { createStore, useStore } from '../store';
import { ChannelIcon, channelLabel } from './ChannelIcon';
import { ConversationActions } from './ConversationActions';
import { customerLabel } from './ConversationRow';
import { openConversation, resolveConversation, showConversation } from './openConversation';
import { fullTime } from './relativeTime';

/** What the pane shows besides the thread where space is short (phone, narrow desktop). */
export const paneUi = createStore({ actionsOpen: false, customerOpen: false });
const toggle = (key: 'actionsOpen' | 'customerOpen') => paneUi.update((ui) => ({ ...ui, [key]: !ui[key] }));

const Icon = ({ path }: { path: string }) => (
  <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" class="toggle-icon">
    <path d={path} fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" />
  </svg>
);

type Props = { view: string; conversationId: string; me: Agent };

/** The open conversation: who and what, the actions, the thread and reply box, the customer. */
export function ConversationPane({ view, conversationId, me }: Props) {
  const { conversation, error } = useStore(openConversation);
  const ui = useStore(paneUi);
  useEffect(() => showConversation(conversationId), [conversationId]);

  const back = (
    <button type="button" class="pane-back" aria-label="Back to the list" onClick={() => navigate(`/inbox/${view}`)}>
      ←
    </button>
  );
  if (!conversation || conversation.id !== conversationId) {
    return (
      <section class="inbox-pane pane-message" aria-label="Conversation">
        {back}
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : (
          <p class="muted">Loading the conversation…</p>
        )}
      </section>
    );
  }

  const finished = conversation.status === 'resolved' || conversation.status === 'closed';
  const name = customerLabel(conversation);
  return (
    <section class={`inbox-pane${ui.customerOpen ? ' customer-open' : ''}${ui.actionsOpen ? ' actions-open' : ''}`} aria-label={`Conversation with ${name}`}>
      <header class="pane-header">
        {back}
        <div class="pane-title">
          <h2>{conversation.subject || name}</h2>
          <p class="muted">
            <ChannelIcon channel={conversation.channel} /> {channelLabel(conversation.channel)}
            {conversation.subject ? ` · ${name}` : ''} · opened{' '}
            <time dateTime={conversation.createdAt}>{fullTime(conversation.createdAt)}</time>
          </p>
        </div>
        <button type="button" class="pane-toggle toggle-actions" aria-label="Details" title="Assignment, status, tags…" aria-expanded={ui.actionsOpen} onClick={() => toggle('actionsOpen')}>
          <Icon path="M2 4h12M2 8h12M2 12h12M5 2.5v3M11 6.5v3M7 10.5v3" />
          <span class="toggle-text">Details</span>
        </button>
        <button type="button" class="pane-toggle toggle-customer" aria-label="Customer" title="The customer's profile and timeline" aria-expanded={ui.customerOpen} aria-controls="pane-customer" onClick={() => toggle('customerOpen')}>
          <Icon path="M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2.5 14.5c.5-3 2.7-4.5 5.5-4.5s5 1.5 5.5 4.5" />
          <span class="toggle-text">Customer</span>
        </button>
        <button type="button" class="primary" data-testid="action-resolve" disabled={finished} onClick={() => void resolveConversation(conversation.id)}>
          {finished ? 'Resolved' : 'Resolve'}
        </button>
      </header>
      {conversation.mergedIntoId && (
        <p class="notice pane-notice">
          Merged into{' '}
          <a
            href={href(`/inbox/${view}/${conversation.mergedIntoId}`)}
            onClick={(event) => {
              event.preventDefault();
              navigate(`/inbox/${view}/${conversation.mergedIntoId}`);
            }}
          >
            another conversation
          </a>
          ; reply there.
        </p>
      )}
      <ConversationActions conversation={conversation} />
      <div class="pane-body">
        <div class="pane-thread">
          <Thread conversation={conversation} me={me} />
          <Composer conversation={conversation} me={me} />
        </div>
        <div class="pane-customer" id="pane-customer">
          <button type="button" class="pane-customer-close" aria-label="Close the customer panel" onClick={() => toggle('customerOpen')}>
            ×
          </button>
          <CustomerPanel customerId={conversation.customerId} />
        </div>
      </div>
    </section>
  );
}
