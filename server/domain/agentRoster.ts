import { z } from 'zod';
import type { Database, Queryable } from '../db/database';
import { type AgentRole, createAgent } from './agents';
import type { DomainContext } from './context';
import { HubError } from './errors';
import { isIntent } from './intents';
import { teamsOfAgent } from './teams';

/** An agent as admins and consoles see them: what routing knows about them and how busy they are. */
export type RosterAgent = {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  capacity: number;
  skills: string[];
  /** The picture the widget shows beside their messages. */
  avatarUrl: string | null;
  /** Open and pending conversations assigned to them. */
  load: number;
  teamIds: string[];
};

// A language as the classifier names it ("en", "zh") or with a region ("zh-TW").
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
const skill = z
  .string()
  .trim()
  .refine((value) => isIntent(value) || LANGUAGE.test(value), 'a skill is an intent (GET /api/intents) or a language code such as en or zh');

const agentFields = {
  name: z.string().trim().min(1).max(200),
  role: z.enum(['admin', 'agent']),
  capacity: z.number().int().min(0).max(1000).describe('How many open and pending conversations routing gives them at most; 0: none'),
  skills: z
    .array(skill)
    .max(100)
    .transform((list) => [...new Set(list)])
    .describe('Intents and languages the skills strategy matches'),
  avatarUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().describe('An http(s) image URL; null removes it'),
};

export const agentInputSchema = z
  .object({
    email: z.email().max(320),
    password: z.string().min(8).max(1000),
    ...agentFields,
    role: agentFields.role.default('agent'),
    capacity: agentFields.capacity.default(5),
    skills: agentFields.skills.default([]),
    avatarUrl: agentFields.avatarUrl.default(null),
  })
  .strict();
export const agentPatchSchema = z.object(agentFields).partial().strict();

type RosterRow = Omit<RosterAgent, 'teamIds' | 'avatarUrl'> & { team_ids: string[]; avatar_url: string | null };

const ROSTER = `
  SELECT a.id, a.email, a.name, a.role, a.capacity, a.skills, a.avatar_url,
         (SELECT count(*)::int FROM conversations c WHERE c.assignee_id = a.id AND c.status IN ('open', 'pending')) AS load,
         ARRAY(SELECT m.team_id FROM team_members m WHERE m.agent_id = a.id ORDER BY m.team_id) AS team_ids
    FROM agents a`;

const toRosterAgent = ({ team_ids: teamIds, avatar_url: avatarUrl, ...agent }: RosterRow): RosterAgent => ({ ...agent, avatarUrl, teamIds });

export async function listRoster(db: Queryable): Promise<RosterAgent[]> {
  return (await db.query<RosterRow>(`${ROSTER} ORDER BY a.name, a.id`)).map(toRosterAgent);
}

async function rosterAgent(db: Queryable, agentId: string): Promise<RosterAgent> {
  const [row] = await db.query<RosterRow>(`${ROSTER} WHERE a.id = $1`, [agentId]);
  if (!row) throw new HubError('not_found', `No agent ${agentId}`);
  return toRosterAgent(row);
}

const UNIQUE_VIOLATION = '23505';

export async function addAgent(db: Database, input: z.infer<typeof agentInputSchema>): Promise<RosterAgent> {
  const id = await db
    .transaction(async (tx) => {
      const agent = await createAgent(tx, input);
      await tx.query('UPDATE agents SET skills = $2, avatar_url = $3 WHERE id = $1', [agent.id, input.skills, input.avatarUrl]);
      return agent.id;
    })
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new HubError('agent_email_taken', `Another agent signs in as ${input.email}`);
      throw error;
    });
  return rosterAgent(db, id);
}

/** Changes an agent; more capacity may free them for their teams' waiting conversations at once. */
export async function updateAgent(ctx: DomainContext, agentId: string, patch: z.infer<typeof agentPatchSchema>): Promise<RosterAgent> {
  const rows = await ctx.db.query(
    `UPDATE agents SET name = COALESCE($2, name), role = COALESCE($3, role), capacity = COALESCE($4, capacity),
            skills = COALESCE($5, skills),
            avatar_url = CASE WHEN $6 THEN $7 ELSE avatar_url END, updated_at = now()
      WHERE id = $1 RETURNING id`,
    [agentId, patch.name ?? null, patch.role ?? null, patch.capacity ?? null, patch.skills ?? null, patch.avatarUrl !== undefined, patch.avatarUrl ?? null],
  );
  if (rows.length === 0) throw new HubError('not_found', `No agent ${agentId}`);
  if (patch.capacity !== undefined || patch.skills !== undefined) {
    for (const teamId of await teamsOfAgent(ctx.db, agentId)) await ctx.queues.drainTeamQueue(teamId);
  }
  return rosterAgent(ctx.db, agentId);
}
