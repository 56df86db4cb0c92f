import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import { toast } from '../components/Toasts';
import { CopyButton } from './CopyButton';
import { describedBy, Field, focusFirstProblem, FormError, type Problems, useSaving } from './formParts';

type PreChat = 'off' | 'optional' | 'required';
/** One widget key's settings, as GET /api/admin/widget/settings lists them. */
type Settings = {
  key: string;
  colors: { primary: string; onPrimary: string };
  greeting: { en: string; zh: string };
  preChat: { name: PreChat; email: PreChat };
  language: 'auto' | 'en' | 'zh';
  updatedAt?: string;
};

const DEFAULT_KEY = 'default';
const WIDGET_KEY = /^[A-Za-z0-9][\w-]{0,63}$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;
const GREETING_MAX = 500;
const PRE_CHAT: Record<PreChat, string> = { off: 'Not asked', optional: 'Asked, optional', required: 'Required' };

/** The one tag a website adds; the key is named only when it is not the default one. */
export function widgetSnippet(origin: string, key: string): string {
  const keyAttribute = key === DEFAULT_KEY ? '' : ` data-widget-key="${key}"`;
  return `<script src="${origin}/widget.js" data-hub="${origin}"${keyAttribute} async></script>`;
}

function check(draft: Settings): Problems {
  const problems: Problems = {};
  if (!COLOR.test(draft.colors.primary)) problems.primary = 'A colour like #2563eb.';
  if (!COLOR.test(draft.colors.onPrimary)) problems.onPrimary = 'A colour like #ffffff.';
  if (draft.greeting.en.trim().length > GREETING_MAX) problems.greetingEn = `At most ${GREETING_MAX} characters.`;
  if (draft.greeting.zh.trim().length > GREETING_MAX) problems.greetingZh = `At most ${GREETING_MAX} characters.`;
  return problems;
}

function ColorField({ id, label, value, problem, onChange }: { id: string; label: string; value: string; problem?: string; onChange: (value: string) => void }) {
  return (
    <Field id={id} label={label} problem={problem}>
      <div class="set-color">
        <input type="color" aria-label={`${label} (picker)`} value={COLOR.test(value) ? value : '#000000'} onInput={(event) => onChange(event.currentTarget.value)} />
        <input
          id={id}
          value={value}
          maxLength={7}
          spellcheck={false}
          aria-invalid={Boolean(problem)}
          aria-describedby={describedBy(id, false, problem)}
          onInput={(event) => onChange(event.currentTarget.value.trim())}
        />
      </div>
    </Field>
  );
}

function Preview({ settings }: { settings: Settings }) {
  const { primary, onPrimary } = settings.colors;
  const greeting = settings.language === 'zh' ? settings.greeting.zh : settings.greeting.en;
  return (
    <div class="widget-preview" aria-label="Preview" role="img">
      <div class="widget-preview-panel">
        <div class="widget-preview-head" style={{ background: primary, color: onPrimary }}>
          Chat with us
        </div>
        <p class="widget-preview-greeting">{greeting || settings.greeting.en || 'Hi! How can we help?'}</p>
      </div>
      <span class="widget-preview-launcher" style={{ background: primary, color: onPrimary }}>
        💬
      </span>
    </div>
  );
}

function SettingsEditor({ initial, onSaved }: { initial: Settings; onSaved: (settings: Settings) => void }) {
  const [draft, setDraft] = useState(initial);
  const [problems, setProblems] = useState<Problems>({});
  const { busy, error, run } = useSaving();
  const set = (change: Partial<Settings>) => setDraft((current) => ({ ...current, ...change }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = check(draft);
    setProblems(found);
    if (Object.keys(found).length) return focusFirstProblem(event.currentTarget);
    const body = {
      colors: draft.colors,
      greeting: { en: draft.greeting.en.trim(), zh: draft.greeting.zh.trim() },
      preChat: draft.preChat,
      language: draft.language,
    };
    const ok = await run(async () => onSaved(await http.put<Settings>(`/api/admin/widget/settings/${encodeURIComponent(draft.key)}`, body)));
    if (ok) toast(`Widget ${draft.key} saved.`);
  };

  const greeting = (lang: 'en' | 'zh', label: string) => {
    const id = lang === 'en' ? 'greetingEn' : 'greetingZh';
    return (
      <Field id={`widget-${id}`} label={label} problem={problems[id]}>
        <textarea
          id={`widget-${id}`}
          rows={2}
          lang={lang}
          maxLength={GREETING_MAX}
          value={draft.greeting[lang]}
          aria-invalid={Boolean(problems[id])}
          aria-describedby={describedBy(`widget-${id}`, false, problems[id])}
          onInput={(event) => set({ greeting: { ...draft.greeting, [lang]: event.currentTarget.value } })}
        />
      </Field>
    );
  };

  const preChat = (field: 'name' | 'email', label: string) => (
    <Field id={`widget-prechat-${field}`} label={label}>
      <select id={`widget-prechat-${field}`} value={draft.preChat[field]} onChange={(event) => set({ preChat: { ...draft.preChat, [field]: event.currentTarget.value as PreChat } })}>
        {(Object.keys(PRE_CHAT) as PreChat[]).map((value) => (
          <option value={value}>{PRE_CHAT[value]}</option>
        ))}
      </select>
    </Field>
  );

  return (
    <form class="set-form widget-form" onSubmit={submit} noValidate>
      <div class="set-grid2">
        <ColorField id="widget-primary" label="Main colour" value={draft.colors.primary} problem={problems.primary} onChange={(primary) => set({ colors: { ...draft.colors, primary } })} />
        <ColorField id="widget-onPrimary" label="Text on the main colour" value={draft.colors.onPrimary} problem={problems.onPrimary} onChange={(onPrimary) => set({ colors: { ...draft.colors, onPrimary } })} />
      </div>
      {greeting('en', 'Greeting (English)')}
      {greeting('zh', 'Greeting (Chinese)')}
      <div class="set-grid2">
        {preChat('name', 'Ask for the name before chatting')}
        {preChat('email', 'Ask for the email before chatting')}
      </div>
      <Field id="widget-language" label="Language">
        <select id="widget-language" value={draft.language} onChange={(event) => set({ language: event.currentTarget.value as Settings['language'] })}>
          <option value="auto">The visitor's browser language</option>
          <option value="en">English</option>
          <option value="zh">Chinese</option>
        </select>
      </Field>
      <Preview settings={draft} />
      <FormError error={error} />
      <div class="set-actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save widget settings'}
        </button>
      </div>
    </form>
  );
}

/** The chat widget: settings per widget key, and the snippet to paste into a website. */
export function WidgetSettings() {
  const [all, setAll] = useState<Settings[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [key, setKey] = useState(DEFAULT_KEY);
  const [newKey, setNewKey] = useState('');
  const [newKeyProblem, setNewKeyProblem] = useState<string | undefined>();

  useEffect(() => {
    http
      .get<{ items: Settings[] }>('/api/admin/widget/settings')
      .then((answer) => setAll(answer.items))
      .catch((failure: Error) => setLoadError(failure.message));
  }, []);

  const list = all ?? [];
  const base = list.find((item) => item.key === DEFAULT_KEY) ?? list[0];
  // A key not saved yet starts from the default settings, as the hub does.
  const current = list.find((item) => item.key === key) ?? (base ? { ...base, key } : null);
  const snippet = widgetSnippet(location.origin, key);

  const addKey = (event: Event) => {
    event.preventDefault();
    const wanted = newKey.trim();
    if (!WIDGET_KEY.test(wanted)) return setNewKeyProblem('1 to 64 letters, digits, _ or -, starting with a letter or digit.');
    setNewKeyProblem(undefined);
    setNewKey('');
    setKey(wanted);
  };

  return (
    <div class="set-page" data-testid="settings-widget">
      <div class="set-head">
        <h1>Chat widget</h1>
      </div>
      {loadError && (
        <p class="set-error" role="alert">
          {loadError}
        </p>
      )}
      <div class="widget-keys">
        <label class="set-inline">
          <span>Widget key</span>
          <select value={key} onChange={(event) => setKey(event.currentTarget.value)}>
            {[...new Set([...list.map((item) => item.key), key])].map((value) => (
              <option value={value}>{value}</option>
            ))}
          </select>
        </label>
        <form class="set-inline" onSubmit={addKey} noValidate>
          <label for="widget-new-key">New key</label>
          <input
            id="widget-new-key"
            value={newKey}
            placeholder="e.g. shop-cn"
            aria-invalid={Boolean(newKeyProblem)}
            aria-describedby={newKeyProblem ? 'widget-new-key-problem' : undefined}
            onInput={(event) => setNewKey(event.currentTarget.value)}
          />
          <button type="submit">Add</button>
          {newKeyProblem && (
            <p class="set-problem" id="widget-new-key-problem">
              {newKeyProblem}
            </p>
          )}
        </form>
      </div>
      <section class="widget-snippet-box" aria-labelledby="widget-snippet-title">
        <h2 id="widget-snippet-title">Add it to your website</h2>
        <p class="set-hint">Paste this tag before &lt;/body&gt; on every page that should show the chat.</p>
        <div class="widget-snippet-row">
          <pre data-testid="widget-snippet">{snippet}</pre>
          <CopyButton text={snippet} label="Copy the snippet" />
        </div>
        {!list.some((item) => item.key === key) && all && <p class="set-hint">This key is not saved yet: until it is, it shows the default settings.</p>}
      </section>
      {current ? <SettingsEditor key={current.key} initial={current} onSaved={(saved) => setAll((known) => [...(known ?? []).filter((item) => item.key !== saved.key), saved].sort((a, b) => a.key.localeCompare(b.key)))} /> : !loadError && <p class="muted">Loading…</p>}
    </div>
  );
}
