/** An agent's internal note on a customer or one of their conversations; customers never see notes. */
export type Note = {
  id: string;
  customerId: string;
  conversationId: string | null;
  agentId: string | null;
  body: string;
  createdAt: string;
};

export type NoteRow = { id: string; customer_id: string; conversation_id: string | null; agent_id: string | null; body: string; created_at: Date };

export const toNote = (row: NoteRow): Note => ({
  id: row.id,
  customerId: row.customer_id,
  conversationId: row.conversation_id,
  agentId: row.agent_id,
  body: row.body,
  createdAt: row.created_at.toISOString(),
});
