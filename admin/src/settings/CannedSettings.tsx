import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import type { CannedResponse } from '../api/types';
import { toast } from '../components/Toasts';
import { ConfirmButton, describedBy, Field, focusFirstProblem, FormError, type Problems, SplitView, useSaving } from './formParts';

const SHORTCUT = /^[a-z0-9_-]{1,32}$/;
type Draft = { shortcut: string; title: string; body: string };

function CannedEditor({ item, all, onSaved, onDeleted, onDone }: { item: CannedResponse | null; all: CannedResponse[]; onSaved: (item: CannedResponse) => void; onDeleted: (id: string) => void; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>({ shortcut: item?.shortcut ?? '', title: item?.title ?? '', body: item?.body ?? '' });
  const [problems, setProblems] = useState<Problems>({});
  const { busy, error, run } = useSaving();
  const set = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const fields = { shortcut: draft.shortcut.trim(), title: draft.title.trim(), body: draft.body.trim() };
    const found: Problems = {};
    if (!SHORTCUT.test(fields.shortcut)) found.shortcut = '1 to 32 characters of a-z, 0-9, - and _.';
    else if (all.some((other) => other.id !== item?.id && other.shortcut === fields.shortcut)) found.shortcut = `/${fields.shortcut} is taken.`;
    if (!fields.title) found.title = 'Enter a title.';
    else if (fields.title.length > 200) found.title = 'At most 200 characters.';
    if (!fields.body) found.body = 'Write the reply.';
    setProblems(found);
    if (Object.keys(found).length) return focusFirstProblem(event.currentTarget);
    const ok = await run(async () => {
      onSaved(
        item
          ? await http.patch<CannedResponse>(`/api/canned-responses/${encodeURIComponent(item.id)}`, fields)
          : await http.post<CannedResponse>('/api/canned-responses', fields),
      );
    });
    if (ok) {
      toast(`/${fields.shortcut} saved.`);
      onDone();
    }
  };

  const remove = async () => {
    if (!item) return;
    if (await run(() => http.delete(`/api/canned-responses/${encodeURIComponent(item.id)}`))) {
      onDeleted(item.id);
      toast(`/${item.shortcut} deleted.`);
      onDone();
    }
  };

  const bodyHint = 'Agents insert it by typing / and the shortcut. {{customer.name}} and {{agent.name}} are filled in.';
  return (
    <form class="set-form" onSubmit={submit} noValidate>
      <h2>{item ? `Edit /${item.shortcut}` : 'New canned response'}</h2>
      <Field id="canned-shortcut" label="Shortcut" problem={problems.shortcut} hint="Lower-case letters, digits, - and _.">
        <div class="set-prefixed">
          <span aria-hidden="true">/</span>
          <input
            id="canned-shortcut"
            value={draft.shortcut}
            maxLength={32}
            autoCapitalize="off"
            spellcheck={false}
            aria-invalid={Boolean(problems.shortcut)}
            aria-describedby={describedBy('canned-shortcut', true, problems.shortcut)}
            onInput={(event) => set({ shortcut: event.currentTarget.value })}
          />
        </div>
      </Field>
      <Field id="canned-title" label="Title" problem={problems.title}>
        <input
          id="canned-title"
          value={draft.title}
          maxLength={200}
          aria-invalid={Boolean(problems.title)}
          aria-describedby={describedBy('canned-title', false, problems.title)}
          onInput={(event) => set({ title: event.currentTarget.value })}
        />
      </Field>
      <Field id="canned-body" label="Reply" problem={problems.body} hint={bodyHint}>
        <textarea
          id="canned-body"
          rows={7}
          value={draft.body}
          aria-invalid={Boolean(problems.body)}
          aria-describedby={describedBy('canned-body', true, problems.body)}
          onInput={(event) => set({ body: event.currentTarget.value })}
        />
      </Field>
      <FormError error={error} />
      <div class="set-actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : item ? 'Save' : 'Create'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        {item && <ConfirmButton label="Delete" question={`Delete /${item.shortcut}?`} disabled={busy} onConfirm={() => void remove()} />}
      </div>
    </form>
  );
}

/** Canned responses: replies agents insert with /shortcut. */
export function CannedSettings() {
  const [items, setItems] = useState<CannedResponse[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<string | 'new' | null>(null);

  useEffect(() => {
    http
      .get<{ items: CannedResponse[] }>('/api/canned-responses')
      .then((answer) => setItems(answer.items))
      .catch((failure: Error) => setLoadError(failure.message));
  }, []);

  const all = items ?? [];
  const current = editing && editing !== 'new' ? (all.find((item) => item.id === editing) ?? null) : null;
  const needle = filter.trim().toLowerCase();
  const shown = needle ? all.filter((item) => `${item.shortcut} ${item.title} ${item.body}`.toLowerCase().includes(needle)) : all;
  const saved = (item: CannedResponse) =>
    setItems((known) => [...(known ?? []).filter((other) => other.id !== item.id), item].sort((a, b) => a.shortcut.localeCompare(b.shortcut)));

  const list = (
    <>
      <div class="set-head">
        <h1>Canned responses</h1>
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          New response
        </button>
      </div>
      <label class="set-filter">
        <span class="sr-only">Filter canned responses</span>
        <input type="search" placeholder="Filter…" value={filter} onInput={(event) => setFilter(event.currentTarget.value)} />
      </label>
      {loadError && (
        <p class="set-error" role="alert">
          {loadError}
        </p>
      )}
      {!items && !loadError && <p class="muted">Loading…</p>}
      {items && shown.length === 0 && <p class="muted">{all.length ? 'None matches.' : 'No canned responses yet.'}</p>}
      <ul class="set-rows" aria-label="Canned responses">
        {shown.map((item) => (
          <li key={item.id} class={`set-row${editing === item.id ? ' active' : ''}`}>
            <span class="set-row-main">
              <span class="set-row-title">
                <code>/{item.shortcut}</code> {item.title}
              </span>
              <span class="muted set-row-sub set-clamp">{item.body}</span>
            </span>
            <button type="button" aria-label={`Edit /${item.shortcut}`} onClick={() => setEditing(item.id)}>
              Edit
            </button>
          </li>
        ))}
      </ul>
    </>
  );

  return (
    <div data-testid="settings-canned">
      <SplitView
        list={list}
        editing={editing !== null}
        editorLabel={current ? `Edit /${current.shortcut}` : 'New canned response'}
        onBack={() => setEditing(null)}
        editor={
          <CannedEditor
            key={editing ?? ''}
            item={current}
            all={all}
            onSaved={saved}
            onDeleted={(id) => setItems((known) => (known ?? []).filter((item) => item.id !== id))}
            onDone={() => setEditing(null)}
          />
        }
      />
    </div>
  );
}
