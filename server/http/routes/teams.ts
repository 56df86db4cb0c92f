import type Router from '@koa/router';
import { addAgent, agentInputSchema, agentPatchSchema, listRoster, type RosterAgent, updateAgent } from '../../domain/agentRoster';
import { parseInput } from '../../domain/parseInput';
import { createTeam, deleteTeam, listTeams, setTeamMembers, teamInputSchema, teamMembersSchema, teamPatchSchema, updateTeam } from '../../domain/teams';
import { presenceReader } from '../../realtime/presence';
import { requireAdmin, requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';

/** Teams and agents: who handles which conversations, and who is online to take them. */
export function teamRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);
  const adminOnly = requireAdmin('Only admins may change teams and agents');
  const presence = presenceReader(deps.redis, deps.redisPrefix);
  const withPresence = async (agents: RosterAgent[]) => {
    const states = await presence.read(agents.map((agent) => agent.id));
    return agents.map((agent) => ({ ...agent, ...(states.get(agent.id) ?? { online: false, status: 'available' }) }));
  };

  router.get('/api/teams', auth, async (ctx) => {
    ctx.body = { items: await listTeams(deps.domain.db) };
  });

  router.post('/api/teams', auth, adminOnly, jsonBody(), async (ctx) => {
    const input = parseInput(teamInputSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await createTeam(deps.domain.db, input);
  });

  router.patch('/api/teams/:id', auth, adminOnly, jsonBody(), async (ctx) => {
    const patch = parseInput(teamPatchSchema, ctx.request.body);
    ctx.body = await updateTeam(deps.domain.db, ctx.params.id!, patch);
  });

  router.delete('/api/teams/:id', auth, adminOnly, async (ctx) => {
    await deleteTeam(deps.domain, ctx.params.id!);
    ctx.status = 204;
  });

  router.put('/api/teams/:id/members', auth, adminOnly, jsonBody(), async (ctx) => {
    const input = parseInput(teamMembersSchema, ctx.request.body);
    ctx.body = await setTeamMembers(deps.domain, ctx.params.id!, input);
  });

  router.get('/api/agents', auth, async (ctx) => {
    ctx.body = { items: await withPresence(await listRoster(deps.domain.db)) };
  });

  router.post('/api/agents', auth, adminOnly, jsonBody(), async (ctx) => {
    const input = parseInput(agentInputSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = (await withPresence([await addAgent(deps.domain.db, input)]))[0];
  });

  router.patch('/api/agents/:id', auth, adminOnly, jsonBody(), async (ctx) => {
    const patch = parseInput(agentPatchSchema, ctx.request.body);
    ctx.body = (await withPresence([await updateAgent(deps.domain, ctx.params.id!, patch)]))[0];
  });
}
