import { useEffect, useRef } from 'preact/hooks';
import { directory } from '../data/directory';
import { navigate } from '../router';
import { useStore } from '../store';
import { ConversationRow } from './ConversationRow';
import { inbox, loadMore, reloadView } from './inboxStore';
import { VIEW_LABELS, type FixedView, intentLabel, intentOfView, type View } from './inboxView';
import { useNow } from './relativeTime';

const viewTitle = (view: View) => {
  const intent = intentOfView(view);
  return intent ? `Intent: ${intentLabel(intent)}` : VIEW_LABELS[view as FixedView];
};

/** The conversations of a view, most urgent first; the next page loads when its end comes into sight. */
export function ConversationList({ view, openId }: { view: View; openId: string | null }) {
  const state = useStore(inbox);
  const agents = useStore(directory, (value) => value.agents);
  const now = useNow();
  const end = useRef<HTMLLIElement>(null);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    const target = end.current;
    if (!target || !state.nextCursor) return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && void loadMore(), { rootMargin: '200px' });
    observer.observe(target);
    return () => observer.disconnect();
  }, [state.nextCursor, state.items.length]);

  // The open row stays in sight when j/k (or a link) moves to a row out of view.
  useEffect(() => {
    if (!openId) return;
    list.current?.querySelector(`[data-conversation-id="${CSS.escape(openId)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [openId]);

  const open = (id: string) => navigate(`/inbox/${view}/${encodeURIComponent(id)}`);
  const showEmpty = !state.loading && !state.error && state.items.length === 0;

  return (
    <section class="inbox-list" aria-label="Conversations" data-testid="conversation-list">
      <header class="list-header">
        <h2>{viewTitle(view)}</h2>
        {state.loading && <span class="muted">Loading…</span>}
      </header>
      {state.error && (
        <p class="list-error" role="alert">
          {state.error}{' '}
          <button type="button" class="link" onClick={() => void reloadView()}>
            Try again
          </button>
        </p>
      )}
      {showEmpty && (
        <p class="list-empty muted" data-testid="conversation-empty">
          No conversations here.
        </p>
      )}
      <ul class="conv-rows" ref={list} aria-busy={state.loading}>
        {state.items.map((conversation) => (
          <ConversationRow key={conversation.id} conversation={conversation} view={view} active={conversation.id === openId} agents={agents} now={now} onOpen={open} />
        ))}
        {state.nextCursor && (
          <li class="list-end" ref={end}>
            <button type="button" class="link" disabled={state.loadingMore} onClick={() => void loadMore()}>
              {state.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          </li>
        )}
      </ul>
    </section>
  );
}
