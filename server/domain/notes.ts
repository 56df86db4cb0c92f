import { z } from 'zod';
import type { Queryable } from '../db/database';
import type { DomainContext } from './context';
import { getConversation } from './conversations';
import { decodeCursor, type Page, pageOf } from './cursor';
import { lockLiveCustomer } from './customers';
import { newId } from './ids';
import { excerpt } from './messages';
import { type Note, type NoteRow, toNote } from './note';
import { appendTimelineEvent } from './timeline';

export const noteRequest = z.object({ body: z.string().trim().min(1, 'a note needs some text').max(10_000) });

/** Adds a note on a customer, or on a conversation (and so on its customer). */
export async function addNote(
  ctx: DomainContext,
  note: { agentId: string; body: string } & ({ customerId: string } | { conversationId: string }),
): Promise<Note> {
  const at = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const conversation = 'conversationId' in note ? await getConversation(tx, note.conversationId) : undefined;
    const customerId = conversation?.customerId ?? (note as { customerId: string }).customerId;
    await lockLiveCustomer(tx, customerId);
    const [row] = await tx.query<NoteRow>(
      'INSERT INTO notes (id, customer_id, conversation_id, agent_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
      [newId('note'), customerId, conversation?.id ?? null, note.agentId, note.body, at],
    );
    const created = toNote(row!);
    ctx.publish([{ type: 'note:new', note: created }]);
    await appendTimelineEvent(tx, {
      customerId,
      at,
      kind: 'note.added',
      reference: created.id,
      data: { noteId: created.id, conversationId: created.conversationId, agentId: note.agentId, excerpt: excerpt(note.body) },
    });
    return created;
  });
}

/** Notes on a customer (all of them) or on one conversation, newest first. */
export async function listNotes(
  db: Queryable,
  owner: { customerId: string } | { conversationId: string },
  page: { cursor?: string; limit: number },
): Promise<Page<Note>> {
  const [column, value] = 'customerId' in owner ? ['customer_id', owner.customerId] : ['conversation_id', owner.conversationId];
  const params: unknown[] = [value];
  let before = '';
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, ['timestamp', 'string']);
    params.push(at, id);
    before = 'AND (created_at, id) < ($2::timestamptz, $3)';
  }
  params.push(page.limit + 1);
  const rows = await db.query<NoteRow>(
    `SELECT * FROM notes WHERE ${column} = $1 ${before} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return pageOf(rows.map(toNote), page.limit, (note) => [note.createdAt, note.id]);
}
