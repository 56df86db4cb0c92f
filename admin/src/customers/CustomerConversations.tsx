import { http } from '../api/http';
import type { Conversation, Page } from '../api/types';
import { usePages } from '../api/usePages';
import { href, navigate } from '../router';
import { conversationPath } from './CustomerTimeline';
import { formatDateTime } from './format';

const PAGE_SIZE = 10;
const CHANNELS: Record<string, string> = { chat: 'Chat', email: 'Email', form: 'Web form' };

/** The customer's conversations, most recently active first: one GET /api/conversations?customer= a page. */
export function CustomerConversations({ customerId, version }: { customerId: string; version: number }) {
  const { items: rows, state, error, hasMore, more, reload } = usePages(
    (cursor) => http.get<Page<Conversation>>('/api/conversations', { customer: customerId, limit: PAGE_SIZE, cursor }),
    [customerId, version],
  );

  return (
    <section class="cust-section" aria-labelledby={`conversations-${customerId}`}>
      <h3 class="cust-h" id={`conversations-${customerId}`}>
        Conversations
      </h3>
      <ul class="cust-convs">
        {rows.map((conversation) => {
          const status = conversation.mergedIntoId ? 'merged' : conversation.status;
          const channel = CHANNELS[conversation.channel] ?? conversation.channel;
          return (
            <li key={conversation.id}>
              <a
                href={href(conversationPath(conversation.id))}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(conversationPath(conversation.id));
                }}
              >
                <span class="cust-conv-top">
                  <span class="cust-conv-title">{conversation.subject || `${channel} conversation`}</span>
                  <span class={`chip status-${status}`}>{status}</span>
                </span>
                <span class="muted cust-conv-meta">
                  {channel} · opened <time dateTime={conversation.createdAt}>{formatDateTime(conversation.createdAt)}</time>
                </span>
                {conversation.lastMessage && <span class="cust-conv-last">{conversation.lastMessage.body}</span>}
              </a>
            </li>
          );
        })}
      </ul>
      {state === 'idle' && rows.length === 0 && <p class="muted">No conversations yet.</p>}
      {state === 'loading' && <p class="muted">Loading conversations…</p>}
      {state === 'error' && (
        <p class="field-error" role="alert">
          {error}{' '}
          <button type="button" class="link" onClick={reload}>
            Retry
          </button>
        </p>
      )}
      {state === 'idle' && hasMore && (
        <button type="button" class="link" onClick={more}>
          Show more conversations
        </button>
      )}
    </section>
  );
}
