import type Router from '@koa/router';
import { authenticateAgent } from '../../domain/agents';
import { issueAgentToken } from '../../domain/agentTokens';
import { parseInput } from '../../domain/parseInput';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';
import { loginRequest } from '../schemas';

export function authRoutes(router: Router, deps: HttpDeps): void {
  router.post('/api/auth/login', jsonBody(), async (ctx) => {
    const { email, password } = parseInput(loginRequest, ctx.request.body);
    const agent = await authenticateAgent(deps.domain.db, email, password);
    ctx.body = { token: issueAgentToken(deps.secretKey, agent.id, deps.domain.now()), agent };
  });
}
