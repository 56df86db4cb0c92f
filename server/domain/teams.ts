import { z } from 'zod';
import type { Database, Queryable } from '../db/database';
import type { DomainContext } from './context';
import { HubError } from './errors';
import { newId } from './ids';
import { intents } from './intents';
import { WAITING } from './routingQueue';
import { type TeamStrategy, teamStrategies } from './routingStrategies';

export const teamRoles = ['member', 'supervisor'] as const;
export type TeamRole = (typeof teamRoles)[number];

/** A team: the intents it handles and how it spreads conversations over its members. */
export type Team = {
  id: string;
  name: string;
  strategy: TeamStrategy;
  intents: string[];
  isDefault: boolean;
  members: { agentId: string; role: TeamRole }[];
  createdAt: string;
};

const teamFields = {
  name: z.string().trim().min(1).max(200),
  strategy: z.enum(teamStrategies).describe('round_robin: in turn; least_loaded: lowest share of capacity in use; skills: agents whose skills match the intent or language first'),
  intents: z
    .array(z.enum(intents))
    .max(intents.length)
    .transform((list) => [...new Set(list)])
    .describe('Intents (GET /api/intents) whose conversations this team handles'),
  isDefault: z.boolean().describe('Gets conversations no team claims; at most one team is the default'),
};

export const teamInputSchema = z
  .object({ ...teamFields, strategy: teamFields.strategy.default('least_loaded'), intents: teamFields.intents.default([]), isDefault: teamFields.isDefault.default(false) })
  .strict();
export const teamPatchSchema = z.object(teamFields).partial().strict();
export const teamMembersSchema = z
  .object({
    members: z
      .array(z.object({ agentId: z.string().min(1).max(100), role: z.enum(teamRoles).default('member') }).strict())
      .max(1000)
      .refine((members) => new Set(members.map((member) => member.agentId)).size === members.length, 'an agent may be listed once'),
  })
  .strict();

type TeamRow = { id: string; name: string; strategy: TeamStrategy; intents: string[]; is_default: boolean; created_at: Date };

async function withMembers(db: Queryable, rows: TeamRow[]): Promise<Team[]> {
  const members = await db.query<{ team_id: string; agent_id: string; role: TeamRole }>(
    'SELECT team_id, agent_id, role FROM team_members WHERE team_id = ANY($1::text[]) ORDER BY agent_id',
    [rows.map((row) => row.id)],
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    strategy: row.strategy,
    intents: row.intents,
    isDefault: row.is_default,
    members: members.filter((member) => member.team_id === row.id).map((member) => ({ agentId: member.agent_id, role: member.role })),
    createdAt: row.created_at.toISOString(),
  }));
}

export async function listTeams(db: Queryable): Promise<Team[]> {
  return withMembers(db, await db.query<TeamRow>('SELECT * FROM teams ORDER BY created_at, id'));
}

export async function getTeam(db: Queryable, teamId: string): Promise<Team> {
  const [row] = await db.query<TeamRow>('SELECT * FROM teams WHERE id = $1', [teamId]);
  if (!row) throw new HubError('not_found', `No team ${teamId}`);
  return (await withMembers(db, [row]))[0]!;
}

/** The teams an agent belongs to: the queues to serve when they free up or come online. */
export async function teamsOfAgent(db: Queryable, agentId: string): Promise<string[]> {
  const rows = await db.query<{ team_id: string }>('SELECT team_id FROM team_members WHERE agent_id = $1 ORDER BY team_id', [agentId]);
  return rows.map((row) => row.team_id);
}

/** The teams an agent belongs to, with their role in each, by team name. */
export async function membershipsOf(db: Queryable, agentId: string): Promise<{ id: string; name: string; role: TeamRole }[]> {
  return db.query<{ id: string; name: string; role: TeamRole }>(
    'SELECT t.id, t.name, m.role FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.agent_id = $1 ORDER BY t.name, t.id',
    [agentId],
  );
}

const UNIQUE_VIOLATION = '23505';

/** Names are unique regardless of case, and one team at most is the default (the indexes say so). */
async function uniqueTeam<T>(tx: Queryable, team: { id: string; name: string; isDefault: boolean }, write: () => Promise<T>): Promise<T> {
  const [taken] = await tx.query<{ id: string }>('SELECT id FROM teams WHERE lower(name) = lower($1) AND id <> $2', [team.name, team.id]);
  if (taken) throw new HubError('team_name_taken', `Another team is called ${team.name}`);
  if (team.isDefault) {
    const [other] = await tx.query<{ id: string }>('SELECT id FROM teams WHERE is_default AND id <> $1', [team.id]);
    if (other) throw new HubError('default_team_taken', `Team ${other.id} is the default team; make it no longer the default first`, { teamId: other.id });
  }
  try {
    return await write();
  } catch (error) {
    // Two admins writing at once: the index decided.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new HubError('team_name_taken', 'Another team has this name or is the default team');
    throw error;
  }
}

export async function createTeam(db: Database, input: z.infer<typeof teamInputSchema>): Promise<Team> {
  const id = newId('team');
  await db.transaction((tx) =>
    uniqueTeam(tx, { id, ...input }, () =>
      tx.query('INSERT INTO teams (id, name, strategy, intents, is_default) VALUES ($1, $2, $3, $4, $5)', [id, input.name, input.strategy, input.intents, input.isDefault]),
    ),
  );
  return getTeam(db, id);
}

export async function updateTeam(db: Database, teamId: string, patch: z.infer<typeof teamPatchSchema>): Promise<Team> {
  await db.transaction(async (tx) => {
    const [row] = await tx.query<TeamRow>('SELECT * FROM teams WHERE id = $1 FOR UPDATE', [teamId]);
    if (!row) throw new HubError('not_found', `No team ${teamId}`);
    const team = { name: patch.name ?? row.name, strategy: patch.strategy ?? row.strategy, intents: patch.intents ?? row.intents, isDefault: patch.isDefault ?? row.is_default };
    await uniqueTeam(tx, { id: teamId, ...team }, () =>
      tx.query('UPDATE teams SET name = $2, strategy = $3, intents = $4, is_default = $5 WHERE id = $1', [teamId, team.name, team.strategy, team.intents, team.isDefault]),
    );
  });
  return getTeam(db, teamId);
}

/** Deletes the team; its waiting conversations are routed again (to the team of their intent, or the default one). */
export async function deleteTeam(ctx: DomainContext, teamId: string): Promise<void> {
  const waiting = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query('SELECT id FROM teams WHERE id = $1 FOR UPDATE', [teamId]);
    if (!row) throw new HubError('not_found', `No team ${teamId}`);
    const rows = await tx.query<{ id: string }>(`SELECT id FROM conversations WHERE team_id = $1 AND ${WAITING}`, [teamId]);
    await tx.query('DELETE FROM teams WHERE id = $1', [teamId]);
    return rows.map((conversation) => conversation.id);
  });
  for (const conversationId of waiting) await ctx.queues.route(conversationId);
}

/** Replaces the team's members; its queue is served at once, as new members may be free. */
export async function setTeamMembers(ctx: DomainContext, teamId: string, input: z.infer<typeof teamMembersSchema>): Promise<Team> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query('SELECT id FROM teams WHERE id = $1 FOR UPDATE', [teamId]);
    if (!row) throw new HubError('not_found', `No team ${teamId}`);
    const agentIds = input.members.map((member) => member.agentId);
    const known = await tx.query<{ id: string }>('SELECT id FROM agents WHERE id = ANY($1::text[])', [agentIds]);
    const missing = agentIds.filter((agentId) => !known.some((agent) => agent.id === agentId));
    if (missing.length > 0) throw new HubError('validation_failed', `members: no agent ${missing.join(', ')}`, { agentIds: missing });
    await tx.query('DELETE FROM team_members WHERE team_id = $1', [teamId]);
    await tx.query(
      'INSERT INTO team_members (team_id, agent_id, role) SELECT $1, agent_id, role FROM unnest($2::text[], $3::text[]) AS m(agent_id, role)',
      [teamId, agentIds, input.members.map((member) => member.role)],
    );
  });
  await ctx.queues.drainTeamQueue(teamId);
  return getTeam(ctx.db, teamId);
}
