import { useState } from 'preact/hooks';
import { http } from '../api/http';
import type { CustomerRecord } from './customerShapes';

const TAG_MAX_LENGTH = 64;
const TAGS_MAX = 100;

/** The customer's tags as chips: Enter adds one, × removes one; saved at once (tags replace). */
export function CustomerTags({ customer, onSaved }: { customer: CustomerRecord; onSaved: (customer: CustomerRecord) => void }) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const tags = customer.tags;
  const editable = !customer.erasedAt;

  const save = async (next: string[]) => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await http.patch<CustomerRecord>(`/api/customers/${encodeURIComponent(customer.id)}`, { tags: next }));
      return true;
    } catch (failure) {
      setError((failure as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async () => {
    // The hub keeps tags trimmed and lower-case; checking the same way avoids a needless round trip.
    const tag = draft.trim().toLowerCase();
    if (!tag) return;
    if (tag.length > TAG_MAX_LENGTH) return setError(`A tag has at most ${TAG_MAX_LENGTH} characters.`);
    if (tags.includes(tag)) return setDraft('');
    if (tags.length >= TAGS_MAX) return setError(`A customer has at most ${TAGS_MAX} tags.`);
    if (await save([...tags, tag])) setDraft('');
  };

  return (
    <div class="cust-tags" data-testid="customer-tags" role="group" aria-label="Customer tags">
      <ul class="cust-tag-list">
        {tags.map((tag) => (
          <li key={tag} class="chip" data-testid="customer-tag">
            {tag}
            {editable && (
              <button type="button" class="chip-x" aria-label={`Remove tag ${tag}`} disabled={busy} onClick={() => void save(tags.filter((item) => item !== tag))}>
                ×
              </button>
            )}
          </li>
        ))}
        {tags.length === 0 && !editable && <li class="muted">No tags</li>}
        {editable && (
          <li class="cust-tag-add">
            <input
              aria-label="Add a customer tag"
              placeholder="Add tag…"
              maxLength={TAG_MAX_LENGTH}
              value={draft}
              disabled={busy}
              onInput={(event) => {
                setDraft(event.currentTarget.value);
                setError(null);
              }}
              onKeyDown={(event) => {
                // Enter while an IME is composing picks a candidate; it must not add the tag.
                if (event.key !== 'Enter' || event.isComposing || event.keyCode === 229) return;
                event.preventDefault();
                void add();
              }}
            />
          </li>
        )}
      </ul>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
