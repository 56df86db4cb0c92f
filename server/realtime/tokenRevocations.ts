import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { AgentTokenClaims } from '../domain/agentTokens';

/** The /agents sockets opened with one token, on every server process. */
export const tokenRoom = (tokenId: string) => `token:${tokenId}`;

/**
 * Agent tokens signed out before they expire, in Redis so every server process refuses them: a
 * key per token that lives as long as the token would have. Revoking also disconnects the
 * consoles opened with it, wherever they are, through the Socket.IO Redis adapter's channel.
 */
export function tokenRevocations(redis: Redis, redisPrefix: string) {
  const key = (tokenId: string) => `${redisPrefix}:revoked-token:${tokenId}`;
  const agents = new Emitter(redis, { key: `${redisPrefix}:socket.io` }).of('/agents');
  return {
    /** Refuses the token from now on and closes its sockets. */
    revoke: async (token: AgentTokenClaims, now: Date): Promise<void> => {
      const remainingMs = token.expiresAt.getTime() - now.getTime();
      if (remainingMs > 0) await redis.set(key(token.tokenId), '1', 'PX', remainingMs);
      // Not closing the connection: the console hears "io server disconnect" and does not retry.
      agents.in(tokenRoom(token.tokenId)).disconnectSockets();
    },
    isRevoked: async (tokenId: string): Promise<boolean> => (await redis.exists(key(tokenId))) === 1,
  };
}
export type TokenRevocations = ReturnType<typeof tokenRevocations>;
