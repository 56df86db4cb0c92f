import { useStore } from '../store';
import { directory } from '../data/directory';
import { href, navigate } from '../router';
import { inboxCounts } from './inboxStore';
import { FIXED_VIEWS, intentLabel, intentOfView, intentView, VIEW_LABELS, type View, viewCount } from './inboxView';

/** The views an agent switches between, with their counts, and the intents to filter by. */
export function ViewList({ view, openId }: { view: View; openId: string | null }) {
  const counts = useStore(inboxCounts);
  const intents = useStore(directory, (state) => state.intents);
  const currentIntent = intentOfView(view);
  const go = (next: View) => navigate(`/inbox/${next}${openId ? `/${encodeURIComponent(openId)}` : ''}`);

  return (
    <nav class="inbox-views" aria-label="Inbox views">
      <ul>
        {FIXED_VIEWS.map((item) => {
          const count = counts ? viewCount(item, counts) : null;
          return (
            <li key={item}>
              <a
                href={href(`/inbox/${item}`)}
                data-testid={`inbox-view-${item}`}
                class={item === view ? 'active' : undefined}
                aria-current={item === view ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  go(item);
                }}
              >
                <span class="view-label">{VIEW_LABELS[item]}</span>
                {count !== null && (
                  <span class={`view-count${count === 0 ? ' zero' : ''}`} data-testid="view-count" aria-label={`${count} conversations`}>
                    {count}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
      <label class="view-intent">
        <span>By intent</span>
        <select
          aria-label="Conversations by intent"
          class={currentIntent ? 'active' : undefined}
          value={currentIntent ?? ''}
          onChange={(event) => {
            const intent = event.currentTarget.value;
            go(intent ? intentView(intent) : 'all');
          }}
        >
          <option value="">Any intent</option>
          {intents.map((intent) => (
            <option key={intent} value={intent}>
              {intentLabel(intent)}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
