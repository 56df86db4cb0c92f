import { useEffect, useState } from 'preact/hooks';
import { http } from '../api/http';
import type { Agent } from '../api/types';
import { toast } from '../components/Toasts';
import { directory, loadDirectory } from '../data/directory';
import { useStore } from '../store';
import { describedBy, Field, focusFirstProblem, FormError, type Problems, SplitView, useSaving } from './formParts';

/** An agent as GET /api/agents lists them: with their load and teams. */
type RosterAgent = Agent & { load?: number; teamIds?: string[] };

type Draft = { email: string; password: string; name: string; role: 'admin' | 'agent'; capacity: string; skills: string; avatarUrl: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// As the hub checks skills: an intent, or a language code such as en, zh or zh-TW.
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

function presence(agent: RosterAgent): { text: string; tone: string } {
  if (!agent.online) return { text: 'Signed out', tone: 'out' };
  if (agent.status === 'away') return { text: 'Away', tone: 'away' };
  if (agent.status === 'offline') return { text: 'Appears offline', tone: 'offline' };
  return { text: 'Available', tone: 'available' };
}

const draftOf = (agent: RosterAgent | null): Draft => ({
  email: agent?.email ?? '',
  password: '',
  name: agent?.name ?? '',
  role: agent?.role ?? 'agent',
  capacity: String(agent?.capacity ?? 5),
  skills: (agent?.skills ?? []).join(', '),
  avatarUrl: agent?.avatarUrl ?? '',
});

const skillList = (text: string) => [...new Set(text.split(/[,\s]+/).map((skill) => skill.trim()).filter(Boolean))];

function check(draft: Draft, isNew: boolean, intents: string[]): Problems {
  const problems: Problems = {};
  if (isNew && !EMAIL.test(draft.email.trim())) problems.email = 'Enter an email address like name@example.com.';
  if (isNew && draft.password.length < 8) problems.password = 'At least 8 characters.';
  if (!draft.name.trim()) problems.name = 'Enter a name.';
  else if (draft.name.trim().length > 200) problems.name = 'At most 200 characters.';
  const capacity = Number(draft.capacity);
  if (!/^\d+$/.test(draft.capacity.trim()) || capacity > 1000) problems.capacity = 'A whole number from 0 to 1000.';
  const unknown = skillList(draft.skills).filter((skill) => !intents.includes(skill) && !LANGUAGE.test(skill));
  if (unknown.length) problems.skills = `Not an intent or a language code: ${unknown.join(', ')}`;
  if (draft.avatarUrl.trim() && !/^https?:\/\/\S+$/.test(draft.avatarUrl.trim())) problems.avatarUrl = 'An http(s) image URL, or leave it empty.';
  return problems;
}

function AgentEditor({ agent, onDone }: { agent: RosterAgent | null; onDone: () => void }) {
  const intents = useStore(directory, (value) => value.intents);
  const [draft, setDraft] = useState(() => draftOf(agent));
  const [problems, setProblems] = useState<Problems>({});
  const { busy, error, run } = useSaving();
  const isNew = !agent;
  const set = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = check(draft, isNew, intents);
    setProblems(found);
    if (Object.keys(found).length) return focusFirstProblem(event.currentTarget);
    const fields = {
      name: draft.name.trim(),
      role: draft.role,
      capacity: Number(draft.capacity),
      skills: skillList(draft.skills),
      avatarUrl: draft.avatarUrl.trim() || null,
    };
    const saved = await run(async () => {
      if (agent) await http.patch(`/api/agents/${encodeURIComponent(agent.id)}`, fields);
      else await http.post('/api/agents', { ...fields, email: draft.email.trim(), password: draft.password });
      await loadDirectory();
    });
    if (saved) {
      toast(isNew ? `${fields.name} can now sign in.` : `${fields.name} saved.`);
      onDone();
    }
  };

  const input = (key: keyof Draft, label: string, props: Record<string, unknown> = {}, hint?: string) => (
    <Field id={`agent-${key}`} label={label} hint={hint} problem={problems[key]}>
      <input
        id={`agent-${key}`}
        value={draft[key]}
        aria-invalid={Boolean(problems[key])}
        aria-describedby={describedBy(`agent-${key}`, Boolean(hint), problems[key])}
        onInput={(event) => set({ [key]: event.currentTarget.value })}
        {...props}
      />
    </Field>
  );

  return (
    <form class="set-form" onSubmit={submit} noValidate>
      <h2>{agent ? `Edit ${agent.name}` : 'Add an agent'}</h2>
      {isNew ? input('email', 'Email', { type: 'email', autoComplete: 'off' }) : <p class="muted">{agent.email}</p>}
      {isNew && input('password', 'Password', { type: 'password', autoComplete: 'new-password' }, 'They sign in with it; at least 8 characters.')}
      {input('name', 'Name', { maxLength: 200 })}
      <Field id="agent-role" label="Role">
        <select id="agent-role" value={draft.role} onChange={(event) => set({ role: event.currentTarget.value as Draft['role'] })}>
          <option value="agent">Agent</option>
          <option value="admin">Admin (can change settings)</option>
        </select>
      </Field>
      {input('capacity', 'Capacity', { inputMode: 'numeric' }, 'How many open and pending conversations routing gives them at most; 0 for none.')}
      {input('skills', 'Skills', { list: 'agent-skill-options', placeholder: 'track_order, zh' }, 'Intents and language codes (en, zh…), comma-separated; the skills strategy prefers agents who have them.')}
      <datalist id="agent-skill-options">
        {intents.map((intent) => (
          <option value={intent} />
        ))}
      </datalist>
      {input('avatarUrl', 'Avatar URL', { type: 'url', placeholder: 'https://…' }, 'The picture the chat widget shows beside their replies.')}
      {!isNew && <p class="set-hint">The hub cannot deactivate an agent. To stop routing conversations to someone, set their capacity to 0.</p>}
      <FormError error={error} />
      <div class="set-actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : isNew ? 'Add agent' : 'Save'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Agents: who they are, their presence and load, and what routing may give them. */
export function AgentsSettings() {
  const { agents, teams, loaded } = useStore(directory);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const roster = agents as RosterAgent[];
  const current = editing && editing !== 'new' ? (roster.find((agent) => agent.id === editing) ?? null) : null;
  const teamName = (id: string) => teams.find((team) => team.id === id)?.name ?? id;
  // Loads and presence change while nobody watches this page: read them afresh on opening it.
  useEffect(() => {
    loadDirectory().catch(() => undefined);
  }, []);

  const list = (
    <>
      <div class="set-head">
        <h1>Agents</h1>
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          Add agent
        </button>
      </div>
      {!loaded && <p class="muted">Loading agents…</p>}
      <ul class="set-rows" aria-label="Agents">
        {roster.map((agent) => {
          const state = presence(agent);
          return (
            <li key={agent.id} class={`set-row agent-row${editing === agent.id ? ' active' : ''}`}>
              <span class={`presence-dot presence-${state.tone}`} aria-hidden="true" />
              <span class="set-row-main">
                <span class="set-row-title">
                  {agent.name} {agent.role === 'admin' && <span class="chip">admin</span>}
                </span>
                <span class="muted set-row-sub">{agent.email}</span>
                <span class="set-row-sub">
                  <span class="sr-only">Presence: </span>
                  {state.text} · {agent.load ?? 0}/{agent.capacity ?? 0} conversations
                  {agent.teamIds?.length ? ` · ${agent.teamIds.map(teamName).join(', ')}` : ''}
                </span>
                {agent.skills && agent.skills.length > 0 && (
                  <span class="set-chips" aria-label="Skills">
                    {agent.skills.map((skill) => (
                      <span class="chip" key={skill}>
                        {skill}
                      </span>
                    ))}
                  </span>
                )}
              </span>
              <button type="button" aria-label={`Edit ${agent.name}`} onClick={() => setEditing(agent.id)}>
                Edit
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );

  return (
    <div data-testid="settings-agents">
      <SplitView
        list={list}
        editing={editing !== null}
        editorLabel={current ? `Edit ${current.name}` : 'Add an agent'}
        onBack={() => setEditing(null)}
        editor={<AgentEditor key={editing ?? ''} agent={current} onDone={() => setEditing(null)} />}
      />
    </div>
  );
}
