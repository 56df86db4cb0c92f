import { useRef, useState } from 'preact/hooks';
import { http } from '../api/http';
import type { Team, TeamMember } from '../api/types';
import { toast } from '../components/Toasts';
import { directory, loadDirectory } from '../data/directory';
import { useStore } from '../store';
import { ConfirmButton, describedBy, Field, focusFirstProblem, FormError, humanize, type Problems, SplitView, useSaving } from './formParts';

const STRATEGIES: Record<Team['strategy'], string> = {
  least_loaded: 'Least loaded: the member using the smallest share of their capacity',
  round_robin: 'Round robin: members in turn',
  skills: 'Skills: members whose skills name the intent or language first',
};

type Draft = { name: string; strategy: Team['strategy']; isDefault: boolean; intents: string[]; members: Record<string, TeamMember['role']> };

const draftOf = (team: Team | null): Draft => ({
  name: team?.name ?? '',
  strategy: team?.strategy ?? 'least_loaded',
  isDefault: team?.isDefault ?? false,
  intents: team?.intents ?? [],
  members: Object.fromEntries((team?.members ?? []).map((member) => [member.agentId, member.role])),
});

const sameMembers = (team: Team | null, members: TeamMember[]) =>
  JSON.stringify([...(team?.members ?? [])].sort((a, b) => a.agentId.localeCompare(b.agentId))) === JSON.stringify(members);

function TeamEditor({ team, onDone }: { team: Team | null; onDone: () => void }) {
  const { agents, teams, intents } = useStore(directory);
  const [draft, setDraft] = useState(() => draftOf(team));
  const [problems, setProblems] = useState<Problems>({});
  const { busy, error, run } = useSaving();
  // A new team whose members failed to save exists already: saving again must change it, not add another.
  const created = useRef<Team | null>(null);
  const set = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));
  const claimedBy = (intent: string) => teams.find((other) => other.id !== team?.id && other.intents.includes(intent))?.name;
  const routable = intents.filter((intent) => intent !== 'unknown');

  const toggleIntent = (intent: string, on: boolean) => set({ intents: on ? [...draft.intents, intent] : draft.intents.filter((item) => item !== intent) });

  const submit = async (event: Event) => {
    event.preventDefault();
    const name = draft.name.trim();
    const found: Problems = {};
    if (!name) found.name = 'Enter a name.';
    else if (name.length > 200) found.name = 'At most 200 characters.';
    else if (teams.some((other) => other.id !== team?.id && other.name.toLowerCase() === name.toLowerCase())) found.name = 'Another team has this name.';
    setProblems(found);
    if (Object.keys(found).length) return focusFirstProblem(event.currentTarget);
    const members: TeamMember[] = Object.entries(draft.members)
      .map(([agentId, role]) => ({ agentId, role }))
      .sort((a, b) => a.agentId.localeCompare(b.agentId));
    const fields = { name, strategy: draft.strategy, isDefault: draft.isDefault, intents: draft.intents };
    const saved = await run(async () => {
      const existing = team ?? created.current;
      const result = existing ? await http.patch<Team>(`/api/teams/${encodeURIComponent(existing.id)}`, fields) : await http.post<Team>('/api/teams', fields);
      created.current = result;
      if (!sameMembers(existing, members)) await http.put(`/api/teams/${encodeURIComponent(result.id)}/members`, { members });
      await loadDirectory();
    });
    if (saved) {
      toast(`Team ${name} saved.`);
      onDone();
    }
  };

  const remove = async () => {
    if (!team) return;
    const removed = await run(async () => {
      await http.delete(`/api/teams/${encodeURIComponent(team.id)}`);
      await loadDirectory();
    });
    if (removed) {
      toast(`Team ${team.name} deleted.`);
      onDone();
    }
  };

  return (
    <form class="set-form" onSubmit={submit} noValidate>
      <h2>{team ? `Edit ${team.name}` : 'New team'}</h2>
      <Field id="team-name" label="Name" problem={problems.name}>
        <input
          id="team-name"
          value={draft.name}
          maxLength={200}
          aria-invalid={Boolean(problems.name)}
          aria-describedby={describedBy('team-name', false, problems.name)}
          onInput={(event) => set({ name: event.currentTarget.value })}
        />
      </Field>
      <Field id="team-strategy" label="How conversations are shared">
        <select id="team-strategy" value={draft.strategy} onChange={(event) => set({ strategy: event.currentTarget.value as Team['strategy'] })}>
          {(Object.keys(STRATEGIES) as Team['strategy'][]).map((strategy) => (
            <option value={strategy}>{STRATEGIES[strategy]}</option>
          ))}
        </select>
      </Field>
      <label class="set-check">
        <input type="checkbox" checked={draft.isDefault} onChange={(event) => set({ isDefault: event.currentTarget.checked })} />
        Default team: gets conversations whose intent no team claims
      </label>
      <fieldset class="set-fieldset">
        <legend>Routing: intents this team handles</legend>
        <div class="set-intents">
          {routable.map((intent) => {
            const other = claimedBy(intent);
            return (
              <label key={intent} class="set-check" title={other ? `Also routed by ${other}` : undefined}>
                <input type="checkbox" checked={draft.intents.includes(intent)} onChange={(event) => toggleIntent(intent, event.currentTarget.checked)} />
                <span>
                  {humanize(intent)}
                  {other && <span class="muted"> ({other})</span>}
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>
      <fieldset class="set-fieldset">
        <legend>Members</legend>
        <ul class="set-members">
          {agents.map((agent) => (
            <li key={agent.id}>
              <label for={`member-${agent.id}`}>{agent.name}</label>
              <select
                id={`member-${agent.id}`}
                value={draft.members[agent.id] ?? ''}
                onChange={(event) => {
                  const role = event.currentTarget.value as TeamMember['role'] | '';
                  const members = { ...draft.members };
                  if (role) members[agent.id] = role;
                  else delete members[agent.id];
                  set({ members });
                }}
              >
                <option value="">Not in the team</option>
                <option value="member">Member</option>
                <option value="supervisor">Supervisor</option>
              </select>
            </li>
          ))}
        </ul>
        <p class="set-hint">Supervisors are told when the team's conversations near or break their SLA.</p>
      </fieldset>
      <FormError error={error} />
      <div class="set-actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : team ? 'Save' : 'Create team'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        {team && <ConfirmButton label="Delete team" question={`Delete ${team.name}?`} disabled={busy} onConfirm={() => void remove()} />}
      </div>
    </form>
  );
}

/** Which team gets which intents, and everything else. */
function RoutingRules({ teams }: { teams: Team[] }) {
  const fallback = teams.find((team) => team.isDefault);
  const rules = teams.flatMap((team) => team.intents.map((intent) => ({ intent, team: team.name }))).sort((a, b) => a.intent.localeCompare(b.intent));
  return (
    <section class="set-rules" aria-labelledby="routing-rules">
      <h2 id="routing-rules">Routing rules</h2>
      <ul>
        {rules.map((rule) => (
          <li key={`${rule.intent}-${rule.team}`}>
            <span>{humanize(rule.intent)}</span> → <strong>{rule.team}</strong>
          </li>
        ))}
        <li>
          <span>anything else</span> → {fallback ? <strong>{fallback.name}</strong> : <span class="muted">no default team is set</span>}
        </li>
      </ul>
    </section>
  );
}

/** Teams: members and supervisors, how they share conversations, and the intents routed to them. */
export function TeamsSettings() {
  const { teams, agents, loaded } = useStore(directory);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const current = editing && editing !== 'new' ? (teams.find((team) => team.id === editing) ?? null) : null;
  const agentName = (id: string) => agents.find((agent) => agent.id === id)?.name ?? id;

  const list = (
    <>
      <div class="set-head">
        <h1>Teams</h1>
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          New team
        </button>
      </div>
      {!loaded && <p class="muted">Loading teams…</p>}
      {loaded && teams.length === 0 && <p class="muted">No teams yet. Create one to route conversations by intent.</p>}
      <ul class="set-rows" aria-label="Teams">
        {teams.map((team) => (
          <li key={team.id} class={`set-row${editing === team.id ? ' active' : ''}`}>
            <span class="set-row-main">
              <span class="set-row-title">
                {team.name} {team.isDefault && <span class="chip">default</span>}
              </span>
              <span class="muted set-row-sub">{STRATEGIES[team.strategy].split(':')[0]}</span>
              <span class="set-row-sub">
                {team.members.length === 0
                  ? 'No members'
                  : team.members.map((member) => `${agentName(member.agentId)}${member.role === 'supervisor' ? ' (supervisor)' : ''}`).join(', ')}
              </span>
              {team.intents.length > 0 && (
                <span class="set-chips" aria-label="Intents">
                  {team.intents.map((intent) => (
                    <span class="chip" key={intent}>
                      {humanize(intent)}
                    </span>
                  ))}
                </span>
              )}
            </span>
            <button type="button" aria-label={`Edit ${team.name}`} onClick={() => setEditing(team.id)}>
              Edit
            </button>
          </li>
        ))}
      </ul>
      {loaded && teams.length > 0 && <RoutingRules teams={teams} />}
    </>
  );

  return (
    <div data-testid="settings-teams">
      <SplitView
        list={list}
        editing={editing !== null}
        editorLabel={current ? `Edit ${current.name}` : 'New team'}
        onBack={() => setEditing(null)}
        editor={<TeamEditor key={editing ?? ''} team={current} onDone={() => setEditing(null)} />}
      />
    </div>
  );
}
