import type Router from '@koa/router';
import { type Agent, authenticateAgent } from '../../domain/agents';
import { type AgentTokenClaims, issueAgentToken } from '../../domain/agentTokens';
import { parseInput } from '../../domain/parseInput';
import { membershipsOf } from '../../domain/teams';
import { tokenRevocations } from '../../realtime/tokenRevocations';
import { requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';
import { loginRequest } from '../schemas';

/** Signing in and out, and who the token belongs to. */
export function authRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);
  const revocations = tokenRevocations(deps.redis, deps.redisPrefix);

  router.post('/api/auth/login', jsonBody(), async (ctx) => {
    const { email, password } = parseInput(loginRequest, ctx.request.body);
    const agent = await authenticateAgent(deps.domain.db, email, password);
    ctx.body = { token: issueAgentToken(deps.secretKey, agent.id, deps.domain.now()), agent };
  });

  router.get('/api/auth/me', auth, async (ctx) => {
    const agent = ctx.state.agent as Agent;
    ctx.body = { agent, teams: await membershipsOf(deps.domain.db, agent.id) };
  });

  router.post('/api/auth/logout', auth, async (ctx) => {
    await revocations.revoke(ctx.state.token as AgentTokenClaims, deps.domain.now());
    ctx.status = 204;
  });
}
