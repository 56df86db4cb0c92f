import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import { onLive } from '../api/live';
import type { Page } from '../api/types';
import { agentName, directory } from '../data/directory';
import { useStore } from '../store';
import type { CustomerNote } from './customerShapes';
import { formatDateTime } from './format';

const PAGE_SIZE = 10;
const NOTE_MAX_LENGTH = 10_000;

/** Internal notes about the customer (never shown to them), newest first, and a box to add one. */
export function CustomerNotes({ customerId, version }: { customerId: string; version: number }) {
  const [notes, setNotes] = useState<CustomerNote[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [sendError, setSendError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const agents = useStore(directory, (value) => value.agents);

  const add = (fresh: CustomerNote[], known: CustomerNote[]) => {
    const ids = new Set(known.map((note) => note.id));
    return [...fresh.filter((note) => !ids.has(note.id)), ...known];
  };

  const load = async (after: string | null, current = { live: true }) => {
    try {
      const page = await http.get<Page<CustomerNote>>(`/api/customers/${encodeURIComponent(customerId)}/notes`, { limit: PAGE_SIZE, cursor: after });
      if (!current.live) return;
      setNotes((known) => (after ? [...known, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setLoadError(null);
    } catch (failure) {
      if (current.live) setLoadError((failure as Error).message);
    }
  };

  useEffect(() => {
    const current = { live: true };
    void load(null, current);
    const off = onLive('note:new', (note) => {
      const full = note as unknown as CustomerNote;
      if (full.customerId === customerId) setNotes((known) => add([full], known));
    });
    return () => {
      current.live = false;
      off();
    };
  }, [customerId, version]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = draft.trim();
    if (!body) return setSendError('Write something first.');
    if (body.length > NOTE_MAX_LENGTH) return setSendError(`A note has at most ${NOTE_MAX_LENGTH.toLocaleString()} characters.`);
    setBusy(true);
    setSendError(null);
    try {
      const note = await http.post<CustomerNote>(`/api/customers/${encodeURIComponent(customerId)}/notes`, { body });
      setNotes((known) => add([note], known));
      setDraft('');
    } catch (failure) {
      setSendError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="cust-section" aria-labelledby={`notes-${customerId}`}>
      <h3 class="cust-h" id={`notes-${customerId}`}>
        Notes
      </h3>
      <form class="cust-note-form" onSubmit={submit}>
        <label class="sr-only" for={`note-${customerId}`}>
          New note about this customer
        </label>
        <textarea
          id={`note-${customerId}`}
          rows={3}
          placeholder="A note for your team (the customer never sees it)…"
          value={draft}
          onInput={(event) => {
            setDraft(event.currentTarget.value);
            setSendError(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing) void submit(event);
          }}
        />
        <div class="cust-note-actions">
          {sendError && (
            <p class="field-error" role="alert">
              {sendError}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add note'}
          </button>
        </div>
      </form>
      {loadError && (
        <p class="field-error" role="alert">
          {loadError}
        </p>
      )}
      <ul class="cust-notes">
        {notes.map((note) => (
          <li key={note.id} class="cust-note">
            <p>{note.body}</p>
            <span class="muted">
              {agentName(agents, note.agentId) ?? 'Someone'} · <time dateTime={note.createdAt}>{formatDateTime(note.createdAt)}</time>
            </span>
          </li>
        ))}
      </ul>
      {notes.length === 0 && !loadError && <p class="muted">No notes yet.</p>}
      {cursor && (
        <button type="button" class="link" onClick={() => void load(cursor)}>
          Show older notes
        </button>
      )}
    </section>
  );
}
