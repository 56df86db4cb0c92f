import type { Queryable } from '../db/database';

export const teamStrategies = ['round_robin', 'least_loaded', 'skills'] as const;
export type TeamStrategy = (typeof teamStrategies)[number];

export type Candidate = { id: string; capacity: number; skills: string[]; load: number };

type TeamChoice = {
  teamId: string;
  strategy: TeamStrategy;
  /** Round robin goes on after this agent. */
  last_assigned_agent_id: string | null;
  intent: string | null;
  language: string | null;
};

// Byte order, the same in SQL and JavaScript, so "the next agent by id" means one thing.
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Lowest share of capacity in use; ties go to the lowest id (candidates come sorted by id). */
const leastLoaded = (candidates: Candidate[]) =>
  candidates.reduce((best, agent) => (agent.load * best.capacity < best.load * agent.capacity ? agent : best));

/**
 * Members of the team who are available (online, not away) and under capacity, with their load
 * (open and pending conversations assigned to them). Their rows are locked first, in id order,
 * so two routers cannot both count an agent's last free place: the second waits and counts again.
 */
async function freeMembers(tx: Queryable, teamId: string, available: readonly string[]): Promise<Candidate[]> {
  if (available.length === 0) return [];
  const members = await tx.query<Omit<Candidate, 'load'>>(
    `SELECT a.id, a.capacity, a.skills FROM agents a JOIN team_members m ON m.agent_id = a.id
      WHERE m.team_id = $1 AND a.id = ANY($2::text[])
      ORDER BY a.id COLLATE "C" FOR NO KEY UPDATE OF a`,
    [teamId, available],
  );
  if (members.length === 0) return [];
  const loads = await tx.query<{ assignee_id: string; load: number }>(
    `SELECT assignee_id, count(*)::int AS load FROM conversations
      WHERE assignee_id = ANY($1::text[]) AND status IN ('open', 'pending') GROUP BY assignee_id`,
    [members.map((member) => member.id)],
  );
  const loadOf = new Map(loads.map((row) => [row.assignee_id, row.load]));
  return members
    .map((member) => ({ ...member, load: loadOf.get(member.id) ?? 0 }))
    .filter((member) => member.load < member.capacity)
    .sort(byId);
}

/** Which of the free agents (sorted by id) the team's strategy picks. */
export function pickAgent(team: Omit<TeamChoice, 'teamId'>, free: Candidate[]): string | undefined {
  if (free.length === 0) return undefined;
  switch (team.strategy) {
    case 'round_robin': {
      const last = team.last_assigned_agent_id;
      return (free.find((agent) => last !== null && agent.id > last) ?? free[0]!).id;
    }
    case 'least_loaded':
      return leastLoaded(free).id;
    case 'skills': {
      const wanted = [team.intent, team.language].filter((skill): skill is string => skill !== null);
      const skilled = free.filter((agent) => agent.skills.some((skill) => wanted.includes(skill)));
      return leastLoaded(skilled.length > 0 ? skilled : free).id;
    }
  }
}

/** The free agent of the team its strategy picks, or undefined when none is free. */
export async function chooseAgent(tx: Queryable, team: TeamChoice, available: readonly string[]): Promise<string | undefined> {
  return pickAgent(team, await freeMembers(tx, team.teamId, available));
}
