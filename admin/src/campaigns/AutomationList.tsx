import { useEffect, useState } from 'preact/hooks';
import { ApiError, http } from '../api/http';
import type { Page } from '../api/types';
import { href, navigate } from '../router';
import { type Automation, automationPath, triggerText } from './automationShapes';
import { rateOf } from './campaignShapes';

function AutomationRow({ automation }: { automation: Automation }) {
  const sent = automation.steps.reduce((sum, step) => sum + step.stats.sent, 0);
  const opened = automation.steps.reduce((sum, step) => sum + step.stats.opened, 0);
  const { active, completed, stopped } = automation.enrollments;
  const path = automationPath(automation.id);
  return (
    <li class="set-row" data-testid="automation-row" data-automation-id={automation.id}>
      <a
        class="set-row-main cmp-row-link"
        href={href(path)}
        onClick={(event) => {
          event.preventDefault();
          navigate(path);
        }}
      >
        <span class="set-row-title">
          {automation.name}{' '}
          <span class={`chip cmp-status ${automation.enabled ? 'cmp-status-sending' : 'cmp-status-draft'}`}>{automation.enabled ? 'On' : 'Off'}</span>
        </span>
        <span class="muted set-row-sub">
          {triggerText(automation.trigger)} · {automation.steps.length} {automation.steps.length === 1 ? 'step' : 'steps'} · {active} in progress, {completed} done,{' '}
          {stopped} stopped · {sent.toLocaleString()} sent, {rateOf(opened, sent)} opened
        </span>
      </a>
    </li>
  );
}

/** Automations: emails that go out by themselves after a trigger. */
export function AutomationList({ canWrite }: { canWrite: boolean }) {
  const [items, setItems] = useState<Automation[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = (after?: string) =>
    http
      .get<Page<Automation>>('/api/automations', { limit: 50, cursor: after })
      .then((page) => {
        setItems((current) => (after ? [...(current ?? []), ...page.items] : page.items));
        setCursor(page.nextCursor);
      })
      .catch((failure: Error) =>
        setError(failure instanceof ApiError && failure.status === 404 ? 'This hub does not have automations yet.' : failure.message),
      );
  useEffect(() => void load(), []);

  return (
    <div class="cmp-page">
      <div class="set-head">
        <h1>Automations</h1>
        {canWrite && !error && (
          <a
            class="cmp-button primary"
            data-testid="automation-new"
            href={href(automationPath('new'))}
            onClick={(event) => {
              event.preventDefault();
              navigate(automationPath('new'));
            }}
          >
            New automation
          </a>
        )}
      </div>
      <p class="muted cmp-lead">Emails that go out by themselves: a welcome series, a survey after a resolved conversation, a nudge after weeks of silence. A reply or an unsubscribe stops the sequence.</p>
      {error && (
        <p class="set-error" role="alert">
          {error}
        </p>
      )}
      {!items && !error && <p class="muted">Loading…</p>}
      {items && items.length === 0 && <p class="muted">No automations yet.</p>}
      {items && items.length > 0 && (
        <ul class="set-rows" aria-label="Automations">
          {items.map((automation) => (
            <AutomationRow key={automation.id} automation={automation} />
          ))}
        </ul>
      )}
      {cursor && (
        <button type="button" class="link cmp-more" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </div>
  );
}
