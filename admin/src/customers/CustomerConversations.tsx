import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import type { Conversation, Page } from '../api/types';
import { href, navigate } from '../router';
import { conversationPath } from './CustomerTimeline';
import type { TimelineEntry } from './customerShapes';
import { formatDateTime } from './format';

const PAGE_SIZE = 10;
const CHANNELS: Record<string, string> = { chat: 'Chat', email: 'Email', form: 'Web form' };

type Row = { id: string; openedAt: string; channel: string; subject: string | null; conversation: Conversation | null };

/**
 * The customer's conversations. GET /api/conversations cannot filter by customer, so they come
 * from the timeline's `conversation.opened` events, then each is read for its status.
 */
export function CustomerConversations({ customerId, version }: { customerId: string; version: number }) {
  const [rows, setRows] = useState<Row[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'idle' | 'error'>('loading');
  const [error, setError] = useState('');

  const load = async (after: string | null, current = { live: true }) => {
    setState('loading');
    try {
      const page = await http.get<Page<TimelineEntry>>(`/api/customers/${encodeURIComponent(customerId)}/timeline`, {
        kind: 'conversation.opened',
        limit: PAGE_SIZE,
        cursor: after,
      });
      const found = await Promise.all(
        page.items.map(async (event): Promise<Row> => {
          const id = event.reference ?? '';
          const conversation = await http.get<Conversation>(`/api/conversations/${encodeURIComponent(id)}`).catch(() => null);
          const channel = typeof event.data.channel === 'string' ? event.data.channel : 'chat';
          const subject = typeof event.data.subject === 'string' ? event.data.subject : null;
          return { id, openedAt: event.at, channel, subject, conversation };
        }),
      );
      if (!current.live) return;
      setRows((before) => (after ? [...before, ...found] : found));
      setCursor(page.nextCursor);
      setState('idle');
    } catch (failure) {
      if (!current.live) return;
      setError((failure as Error).message);
      setState('error');
    }
  };

  useEffect(() => {
    const current = { live: true };
    void load(null, current);
    return () => {
      current.live = false;
    };
  }, [customerId, version]);

  return (
    <section class="cust-section" aria-labelledby={`conversations-${customerId}`}>
      <h3 class="cust-h" id={`conversations-${customerId}`}>
        Conversations
      </h3>
      <ul class="cust-convs">
        {rows.map((row) => {
          const conversation = row.conversation;
          const status = conversation ? (conversation.mergedIntoId ? 'merged' : conversation.status) : null;
          return (
            <li key={row.id}>
              <a
                href={href(conversationPath(row.id))}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(conversationPath(row.id));
                }}
              >
                <span class="cust-conv-top">
                  <span class="cust-conv-title">{conversation?.subject || row.subject || `${CHANNELS[row.channel] ?? row.channel} conversation`}</span>
                  {status && <span class={`chip status-${status}`}>{status}</span>}
                </span>
                <span class="muted cust-conv-meta">
                  {CHANNELS[row.channel] ?? row.channel} · opened <time dateTime={row.openedAt}>{formatDateTime(row.openedAt)}</time>
                </span>
                {conversation?.lastMessage && <span class="cust-conv-last">{conversation.lastMessage.body}</span>}
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
          <button type="button" class="link" onClick={() => void load(null)}>
            Retry
          </button>
        </p>
      )}
      {state === 'idle' && cursor && (
        <button type="button" class="link" onClick={() => void load(cursor)}>
          Show more conversations
        </button>
      )}
    </section>
  );
}
