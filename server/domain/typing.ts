import type { Queryable } from '../db/database';
import { type AgentCard, getAgentCard } from './agentCard';
import { findActiveConversation, getConversation } from './conversations';
import { HubError } from './errors';

/** The chat a visitor's typing belongs to: their active one, if any. */
export async function visitorTypingConversation(db: Queryable, customerId: string): Promise<string | undefined> {
  return (await findActiveConversation(db, customerId, 'chat'))?.id;
}

/** Whose widget hears that this agent types in this conversation, and how the agent appears there. */
export async function agentTypingTarget(db: Queryable, agentId: string, conversationId: string): Promise<{ customerId: string; agent: AgentCard }> {
  const conversation = await getConversation(db, conversationId);
  if (conversation.channel !== 'chat') throw new HubError('validation_failed', 'Only chat customers see typing');
  return { customerId: conversation.customerId, agent: await getAgentCard(db, agentId) };
}
