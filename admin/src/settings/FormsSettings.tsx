import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import { toast } from '../components/Toasts';
import { CopyButton } from './CopyButton';
import { ConfirmButton, describedBy, Field, focusFirstProblem, FormError, type Problems, SplitView, useSaving } from './formParts';

const MAPPED = ['email', 'phone', 'name', 'subject', 'message'] as const;
type Mapped = (typeof MAPPED)[number];

/** A web form as /api/forms answers it. */
type WebForm = {
  id: string;
  key: string;
  name: string;
  allowedOrigins: string[];
  fieldMap: Partial<Record<Mapped, string>>;
  opensConversation: boolean;
  redirectUrl: string | null;
  honeypotField: string | null;
};

type Draft = { key: string; name: string; origins: string; fieldMap: Record<Mapped, string>; opensConversation: boolean; redirectUrl: string; honeypotField: string };

const KEY = /^[a-z0-9_-]{3,64}$/;
const FIELD_LABELS: Record<Mapped, string> = { email: 'Email field', phone: 'Phone field', name: 'Name field', subject: 'Subject field', message: 'Message field' };

const draftOf = (form: WebForm | null): Draft => ({
  key: form?.key ?? '',
  name: form?.name ?? '',
  origins: (form?.allowedOrigins ?? []).join('\n'),
  fieldMap: Object.fromEntries(MAPPED.map((field) => [field, form?.fieldMap[field] ?? (form ? '' : field)])) as Record<Mapped, string>,
  opensConversation: form?.opensConversation ?? true,
  redirectUrl: form?.redirectUrl ?? '',
  honeypotField: form?.honeypotField ?? '',
});

/** An origin as browsers send it: scheme://host[:port] and nothing else, or '*'. */
function isOrigin(value: string): boolean {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}

function check(draft: Draft, forms: WebForm[], current: WebForm | null): Problems {
  const problems: Problems = {};
  const key = draft.key.trim();
  if (!KEY.test(key)) problems.key = '3 to 64 characters of a-z, 0-9, - and _.';
  else if (forms.some((form) => form.id !== current?.id && form.key === key)) problems.key = 'Another form uses this key.';
  if (!draft.name.trim()) problems.name = 'Enter a name.';
  const origins = draft.origins.split(/\s+/).filter(Boolean);
  const bad = origins.filter((origin) => !isOrigin(origin));
  if (bad.length) problems.origins = `Not an origin like https://example.com: ${bad.join(', ')}`;
  if (!draft.fieldMap.email.trim() && !draft.fieldMap.phone.trim()) problems.fieldMap = 'Name the email or the phone field: it says who the customer is.';
  if (draft.redirectUrl.trim() && !/^https?:\/\/\S+$/.test(draft.redirectUrl.trim())) problems.redirectUrl = 'An http(s) URL, or leave it empty.';
  const honeypot = draft.honeypotField.trim();
  if (honeypot && Object.values(draft.fieldMap).some((field) => field.trim() === honeypot)) problems.honeypotField = 'The honeypot must not be one of the mapped fields.';
  return problems;
}

function FormEditor({ form, forms, onSaved, onDeleted, onDone }: { form: WebForm | null; forms: WebForm[]; onSaved: (form: WebForm) => void; onDeleted: (id: string) => void; onDone: () => void }) {
  const [draft, setDraft] = useState(() => draftOf(form));
  const [problems, setProblems] = useState<Problems>({});
  const { busy, error, run } = useSaving();
  const set = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = check(draft, forms, form);
    setProblems(found);
    if (Object.keys(found).length) return focusFirstProblem(event.currentTarget);
    const fieldMap = Object.fromEntries(MAPPED.flatMap((field) => (draft.fieldMap[field].trim() ? [[field, draft.fieldMap[field].trim()]] : [])));
    const body = {
      key: draft.key.trim(),
      name: draft.name.trim(),
      allowedOrigins: draft.origins.split(/\s+/).filter(Boolean),
      fieldMap,
      opensConversation: draft.opensConversation,
      redirectUrl: draft.redirectUrl.trim() || null,
      honeypotField: draft.honeypotField.trim() || null,
    };
    const ok = await run(async () => {
      onSaved(form ? await http.patch<WebForm>(`/api/forms/${encodeURIComponent(form.key)}`, body) : await http.post<WebForm>('/api/forms', body));
    });
    if (ok) {
      toast(`Form ${body.name} saved.`);
      onDone();
    }
  };

  const remove = async () => {
    if (!form) return;
    if (await run(() => http.delete(`/api/forms/${encodeURIComponent(form.key)}`))) {
      onDeleted(form.id);
      toast(`Form ${form.name} deleted.`);
      onDone();
    }
  };

  const text = (key: 'key' | 'name' | 'redirectUrl' | 'honeypotField', label: string, hint?: string, props: Record<string, unknown> = {}) => (
    <Field id={`form-${key}`} label={label} hint={hint} problem={problems[key]}>
      <input
        id={`form-${key}`}
        value={draft[key]}
        aria-invalid={Boolean(problems[key])}
        aria-describedby={describedBy(`form-${key}`, Boolean(hint), problems[key])}
        onInput={(event) => set({ [key]: event.currentTarget.value })}
        {...props}
      />
    </Field>
  );

  return (
    <form class="set-form" onSubmit={submit} noValidate>
      <h2>{form ? `Edit ${form.name}` : 'New web form'}</h2>
      {text('name', 'Name', undefined, { maxLength: 200 })}
      {text('key', 'Key', 'Part of the address your page posts to.', { maxLength: 64, autoCapitalize: 'off', spellcheck: false })}
      <Field id="form-origins" label="Allowed origins" hint="One per line, e.g. https://shop.example.com; * for any. Servers posting without an Origin are always let in." problem={problems.origins}>
        <textarea
          id="form-origins"
          rows={3}
          value={draft.origins}
          aria-invalid={Boolean(problems.origins)}
          aria-describedby={describedBy('form-origins', true, problems.origins)}
          onInput={(event) => set({ origins: event.currentTarget.value })}
        />
      </Field>
      <fieldset class="set-fieldset" aria-describedby={problems.fieldMap ? 'form-fieldmap-problem' : undefined}>
        <legend>Which submitted field holds…</legend>
        <div class="set-grid2">
          {MAPPED.map((field) => (
            <Field key={field} id={`form-map-${field}`} label={FIELD_LABELS[field]}>
              <input
                id={`form-map-${field}`}
                value={draft.fieldMap[field]}
                maxLength={100}
                aria-invalid={Boolean(problems.fieldMap) && (field === 'email' || field === 'phone')}
                onInput={(event) => set({ fieldMap: { ...draft.fieldMap, [field]: event.currentTarget.value } })}
              />
            </Field>
          ))}
        </div>
        {problems.fieldMap && (
          <p class="set-problem" id="form-fieldmap-problem">
            {problems.fieldMap}
          </p>
        )}
      </fieldset>
      <label class="set-check">
        <input type="checkbox" checked={draft.opensConversation} onChange={(event) => set({ opensConversation: event.currentTarget.checked })} />
        Each submission opens a conversation (a ticket)
      </label>
      {text('redirectUrl', 'Thank-you page', 'Where a plain HTML form post goes afterwards (optional).', { type: 'url', placeholder: 'https://…' })}
      {text('honeypotField', 'Honeypot field', 'A hidden field people leave empty; submissions filling it are dropped (optional).', { maxLength: 100 })}
      <FormError error={error} />
      <div class="set-actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : form ? 'Save' : 'Create form'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        {form && <ConfirmButton label="Delete form" question={`Delete ${form.name}?`} disabled={busy} onConfirm={() => void remove()} />}
      </div>
    </form>
  );
}

/** Web forms: websites post to /api/forms/:key; each submission comes in like a message. */
export function FormsSettings() {
  const [forms, setForms] = useState<WebForm[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | 'new' | null>(null);

  useEffect(() => {
    http
      .get<{ items: WebForm[] }>('/api/forms')
      .then((answer) => setForms(answer.items))
      .catch((failure: Error) => setLoadError(failure.message));
  }, []);

  const all = forms ?? [];
  const current = editing && editing !== 'new' ? (all.find((form) => form.id === editing) ?? null) : null;
  const endpoint = (key: string) => `${location.origin}/api/forms/${key}`;

  const list = (
    <>
      <div class="set-head">
        <h1>Web forms</h1>
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          New form
        </button>
      </div>
      {loadError && (
        <p class="set-error" role="alert">
          {loadError}
        </p>
      )}
      {!forms && !loadError && <p class="muted">Loading…</p>}
      {forms && forms.length === 0 && <p class="muted">No forms yet. A form lets a contact page on your site open conversations here.</p>}
      <ul class="set-rows" aria-label="Web forms">
        {all.map((form) => (
          <li key={form.id} class={`set-row${editing === form.id ? ' active' : ''}`}>
            <span class="set-row-main">
              <span class="set-row-title">{form.name}</span>
              <span class="set-row-sub set-endpoint">
                <code>POST {endpoint(form.key)}</code>
                <CopyButton text={endpoint(form.key)} label={`Copy the address of ${form.name}`} />
              </span>
              <span class="muted set-row-sub">
                {form.opensConversation ? 'Opens a conversation' : 'Adds to the timeline only'} ·{' '}
                {form.allowedOrigins.length ? form.allowedOrigins.join(', ') : 'no browser origins allowed'}
              </span>
            </span>
            <button type="button" aria-label={`Edit ${form.name}`} onClick={() => setEditing(form.id)}>
              Edit
            </button>
          </li>
        ))}
      </ul>
    </>
  );

  return (
    <div data-testid="settings-forms">
      <SplitView
        list={list}
        editing={editing !== null}
        editorLabel={current ? `Edit ${current.name}` : 'New web form'}
        onBack={() => setEditing(null)}
        editor={
          <FormEditor
            key={editing ?? ''}
            form={current}
            forms={all}
            onSaved={(saved) => setForms((known) => [...(known ?? []).filter((form) => form.id !== saved.id), saved])}
            onDeleted={(id) => setForms((known) => (known ?? []).filter((form) => form.id !== id))}
            onDone={() => setEditing(null)}
          />
        }
      />
    </div>
  );
}
