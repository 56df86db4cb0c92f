import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import type { Page } from '../api/types';
import { toast } from '../components/Toasts';
import { formatDateTime } from '../customers/format';
import { FormError, useSaving } from '../settings/formParts';
import { isEmail } from './campaignRequests';
import type { Suppression, SuppressionReason } from './campaignShapes';

const REASONS: Record<SuppressionReason, string> = { unsubscribed: 'Unsubscribed', bounced: 'Bounced', complained: 'Complained', manual: 'Added by hand' };
const TYPING_PAUSE_MS = 300;

function AddSuppression({ onAdded }: { onAdded: (suppression: Suppression, created: boolean) => void }) {
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState<SuppressionReason>('manual');
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, run } = useSaving();
  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem(isEmail(email) ? null : 'Enter an email address.');
    if (!isEmail(email)) return;
    let created = false;
    await run(async () => {
      const response = await fetchAdd(email.trim(), reason);
      created = response.created;
      onAdded(response.suppression, created);
      setEmail('');
    });
  };
  return (
    <form class="cmp-panel cmp-add" onSubmit={submit} noValidate aria-label="Add an address">
      <div class={`set-field${problem ? ' invalid' : ''}`}>
        <label for="suppression-email">Address</label>
        <input id="suppression-email" data-testid="suppression-email" type="email" value={email} aria-invalid={Boolean(problem)} onInput={(e) => setEmail(e.currentTarget.value)} />
      </div>
      <div class="set-field">
        <label for="suppression-reason">Reason</label>
        <select id="suppression-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value as SuppressionReason)}>
          {(Object.keys(REASONS) as SuppressionReason[]).map((key) => (
            <option value={key}>{REASONS[key]}</option>
          ))}
        </select>
      </div>
      <button type="submit" class="primary" data-testid="suppression-add" disabled={busy}>
        {busy ? 'Adding…' : 'Add'}
      </button>
      {problem && <p class="set-problem cmp-add-problem">{problem}</p>}
      <div class="cmp-add-problem">
        <FormError error={error} />
      </div>
    </form>
  );
}

/** POST answers 201 for a new address and 200 (with the first reason) for one already there. */
async function fetchAdd(email: string, reason: SuppressionReason): Promise<{ suppression: Suppression; created: boolean }> {
  const before = await http.get<Page<Suppression>>('/api/suppressions', { q: email.toLowerCase(), limit: 1 });
  const suppression = await http.post<Suppression>('/api/suppressions', { email, reason });
  return { suppression, created: !before.items.some((item) => item.email === suppression.email) };
}

/** Addresses no campaign mails, whatever segment they are in. */
export function SuppressionList({ canWrite }: { canWrite: boolean }) {
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<Suppression[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);

  const load = async (after?: string) => {
    try {
      const page = await http.get<Page<Suppression>>('/api/suppressions', { q: query.trim(), cursor: after, limit: 50 });
      setItems((current) => (after ? [...(current ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  useEffect(() => {
    const timer = setTimeout(() => void load(), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const remove = async (email: string) => {
    setRemoving(email);
    try {
      await http.delete(`/api/suppressions/${encodeURIComponent(email)}`);
      setItems((current) => (current ?? []).filter((item) => item.email !== email));
      toast(`${email} may get campaigns again.`);
    } catch (failure) {
      toast((failure as Error).message, 'error');
    } finally {
      setRemoving(null);
    }
  };

  return (
    <div class="cmp-page">
      <div class="set-head">
        <h1>Suppressions</h1>
      </div>
      <p class="muted cmp-lead">No campaign mails these addresses. Unsubscribes and hard bounces land here by themselves.</p>
      {canWrite && (
        <AddSuppression
          onAdded={(suppression, created) => {
            toast(created ? `${suppression.email} suppressed.` : `${suppression.email} was already suppressed (${REASONS[suppression.reason].toLowerCase()}).`);
            setItems((current) => [suppression, ...(current ?? []).filter((item) => item.email !== suppression.email)]);
          }}
        />
      )}
      <label class="set-filter">
        <span class="sr-only">Search suppressed addresses</span>
        <input type="search" data-testid="suppression-search" placeholder="Addresses starting with…" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </label>
      {error && (
        <p class="set-error" role="alert">
          {error}
        </p>
      )}
      {!items && !error && <p class="muted">Loading…</p>}
      {items && items.length === 0 && <p class="muted">{query.trim() ? 'No address starts with that.' : 'No suppressed addresses.'}</p>}
      {items && items.length > 0 && (
        <ul class="set-rows" aria-label="Suppressed addresses">
          {items.map((item) => (
            <li key={item.email} class="set-row" data-testid="suppression-row">
              <span class="set-row-main">
                <span class="set-row-title">{item.email}</span>
                <span class="muted set-row-sub">
                  {REASONS[item.reason] ?? item.reason} · {formatDateTime(item.createdAt)}
                </span>
              </span>
              {canWrite && (
                <button type="button" aria-label={`Remove ${item.email}`} disabled={removing === item.email} onClick={() => void remove(item.email)}>
                  Remove
                </button>
              )}
            </li>
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
