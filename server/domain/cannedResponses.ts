import { z } from 'zod';
import type { Queryable } from '../db/database';
import type { DomainContext } from './context';
import { HubError } from './errors';
import { newId } from './ids';

/** A reply agents insert by typing /shortcut; `{{customer.name}}` and `{{agent.name}}` are filled in by the console. */
export type CannedResponse = { id: string; shortcut: string; title: string; body: string; createdAt: string; updatedAt: string };

type CannedResponseRow = { id: string; shortcut: string; title: string; body: string; created_at: Date; updated_at: Date };

const toCannedResponse = (row: CannedResponseRow): CannedResponse => ({
  id: row.id,
  shortcut: row.shortcut,
  title: row.title,
  body: row.body,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const fields = {
  shortcut: z
    .string()
    .trim()
    .regex(/^[a-z0-9_-]{1,32}$/, 'shortcut must be 1 to 32 characters of a-z, 0-9, - and _')
    .describe('Typed after a slash in the reply box; unique'),
  title: z.string().trim().min(1).max(200),
  body: z
    .string()
    .trim()
    .min(1, 'body must not be empty')
    .describe('At most MESSAGE_MAX_LENGTH characters; may hold {{customer.name}} and {{agent.name}}'),
};
export const cannedResponseInputSchema = z.object(fields).strict();
export const cannedResponsePatchSchema = z.object(fields).partial().strict();
export const cannedResponseQuery = z.object({
  q: z.string().max(200).optional().describe('Matches the start of the shortcut, or any part of the title or body (any case)'),
});

const UNIQUE_VIOLATION = '23505';

/** The canned responses matching `q` (all without it): shortcuts starting with it first, then by shortcut. */
export async function listCannedResponses(db: Queryable, q = ''): Promise<CannedResponse[]> {
  const text = q.trim().replace(/^\//, '');
  const escaped = text.replace(/[\\%_]/g, (char) => `\\${char}`);
  const rows = await db.query<CannedResponseRow>(
    `SELECT * FROM canned_responses
      WHERE $1 = '' OR shortcut LIKE $2 OR title ILIKE $3 OR body ILIKE $3
      ORDER BY shortcut LIKE $2 DESC, shortcut COLLATE "C"`,
    [text, `${escaped.toLowerCase()}%`, `%${escaped}%`],
  );
  return rows.map(toCannedResponse);
}

export async function createCannedResponse(ctx: DomainContext, input: z.infer<typeof cannedResponseInputSchema>): Promise<CannedResponse> {
  checkBodyLength(ctx, input.body);
  return shortcutTaken(input.shortcut, async () => {
    const [row] = await ctx.db.query<CannedResponseRow>(
      'INSERT INTO canned_responses (id, shortcut, title, body) VALUES ($1, $2, $3, $4) RETURNING *',
      [newId('cnd'), input.shortcut, input.title, input.body],
    );
    return toCannedResponse(row!);
  });
}

export async function updateCannedResponse(ctx: DomainContext, id: string, patch: z.infer<typeof cannedResponsePatchSchema>): Promise<CannedResponse> {
  if (patch.body !== undefined) checkBodyLength(ctx, patch.body);
  const [row] = await shortcutTaken(patch.shortcut, () =>
    ctx.db.query<CannedResponseRow>(
      `UPDATE canned_responses SET shortcut = COALESCE($2, shortcut), title = COALESCE($3, title), body = COALESCE($4, body), updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, patch.shortcut ?? null, patch.title ?? null, patch.body ?? null],
    ),
  );
  if (!row) throw new HubError('not_found', `No canned response ${id}`);
  return toCannedResponse(row);
}

export async function deleteCannedResponse(db: Queryable, id: string): Promise<void> {
  const rows = await db.query('DELETE FROM canned_responses WHERE id = $1 RETURNING id', [id]);
  if (rows.length === 0) throw new HubError('not_found', `No canned response ${id}`);
}

// The same limit as the messages it becomes.
function checkBodyLength(ctx: DomainContext, body: string): void {
  const max = ctx.settings.messageMaxLength;
  if (body.length > max) throw new HubError('validation_failed', `body: at most ${max} characters`);
}

async function shortcutTaken<T>(shortcut: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
      throw new HubError('canned_response_conflict', `Another canned response has the shortcut ${shortcut}`, { shortcut });
    }
    throw error;
  }
}
