import type { Queryable } from '../db/database';
import { HubError } from './errors';

/** How an agent appears to customers: name and picture, never their email or role. */
export type AgentCard = { id: string; name: string; avatarUrl: string | null };

export async function getAgentCard(db: Queryable, agentId: string): Promise<AgentCard> {
  const [row] = await db.query<{ id: string; name: string; avatar_url: string | null }>('SELECT id, name, avatar_url FROM agents WHERE id = $1', [agentId]);
  if (!row) throw new HubError('unauthorized', 'This agent no longer exists');
  return { id: row.id, name: row.name, avatarUrl: row.avatar_url };
}
