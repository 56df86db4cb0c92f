import type { Middleware } from 'koa';
import { getAgent } from '../domain/agents';
import { verifyAgentToken } from '../domain/agentTokens';
import { HubError } from '../domain/errors';
import type { HttpDeps } from './deps';

/** Requires `Authorization: Bearer <token>` from POST /api/auth/login; sets ctx.state.agent. */
export function requireAgent(deps: HttpDeps): Middleware {
  return async (ctx, next) => {
    const [scheme, token] = (ctx.get('authorization') || '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new HubError('unauthorized', 'Send the agent token as "Authorization: Bearer <token>"');
    }
    ctx.state.agent = await getAgent(deps.domain.db, verifyAgentToken(deps.secretKey, token));
    await next();
  };
}
