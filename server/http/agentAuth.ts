import type { Middleware } from 'koa';
import { type Agent, getAgent } from '../domain/agents';
import { verifyAgentToken } from '../domain/agentTokens';
import { HubError } from '../domain/errors';
import { tokenRevocations } from '../realtime/tokenRevocations';
import type { HttpDeps } from './deps';

/**
 * Requires `Authorization: Bearer <token>` from POST /api/auth/login, not signed out; sets
 * ctx.state.agent, and ctx.state.token (its claims, for signing out).
 */
export function requireAgent(deps: HttpDeps): Middleware {
  const revocations = tokenRevocations(deps.redis, deps.redisPrefix);
  return async (ctx, next) => {
    const [scheme, token] = (ctx.get('authorization') || '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new HubError('unauthorized', 'Send the agent token as "Authorization: Bearer <token>"');
    }
    const claims = verifyAgentToken(deps.secretKey, token, deps.domain.now());
    if (await revocations.isRevoked(claims.tokenId)) throw new HubError('unauthorized', 'The agent token was signed out');
    ctx.state.agent = await getAgent(deps.domain.db, claims.agentId);
    ctx.state.token = claims;
    await next();
  };
}

/** After requireAgent: only admins pass; anyone else gets 403 `forbidden` saying what they may not do. */
export function requireAdmin(refusal: string): Middleware {
  return async (ctx, next) => {
    if ((ctx.state.agent as Agent).role !== 'admin') throw new HubError('forbidden', refusal);
    await next();
  };
}
