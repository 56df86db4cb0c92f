import { z } from 'zod';
import type { Queryable } from '../db/database';
import { decodeCursor, type Page, pageOf } from './cursor';
import { HubError } from './errors';
import { normalizeIdentity } from './identities';

/** Why an address gets no campaign mail: it unsubscribed, hard-bounced, complained, or an admin said so. */
export const suppressionReasons = ['unsubscribed', 'bounced', 'complained', 'manual'] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

export type Suppression = { email: string; reason: SuppressionReason; campaignId: string | null; createdAt: string };

type SuppressionRow = { email: string; reason: SuppressionReason; campaign_id: string | null; created_at: Date };

const toSuppression = (row: SuppressionRow): Suppression => ({
  email: row.email,
  reason: row.reason,
  campaignId: row.campaign_id,
  createdAt: row.created_at.toISOString(),
});

export const suppressionInputSchema = z.object({
  email: z.string().trim().min(1).max(320),
  reason: z.enum(suppressionReasons).default('manual'),
});

export const suppressionListQuery = z.object({
  q: z.string().trim().max(320).optional().describe('Addresses starting with this text'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(500).optional(),
});

const canonical = (email: string) => normalizeIdentity({ kind: 'email', value: email }).value;

/**
 * Adds the address to the list at once. The first reason stays: an address that unsubscribed and
 * later bounces is still "unsubscribed". Returns the suppression as stored.
 */
export async function suppressAddress(
  db: Queryable,
  input: { email: string; reason: SuppressionReason; campaignId?: string | null },
): Promise<{ suppression: Suppression; created: boolean }> {
  const email = canonical(input.email);
  const [inserted] = await db.query<SuppressionRow>(
    `INSERT INTO suppressions (email, reason, campaign_id) VALUES ($1, $2, $3)
     ON CONFLICT (email) DO NOTHING RETURNING *`,
    [email, input.reason, input.campaignId ?? null],
  );
  if (inserted) return { suppression: toSuppression(inserted), created: true };
  const [existing] = await db.query<SuppressionRow>('SELECT * FROM suppressions WHERE email = $1', [email]);
  return { suppression: toSuppression(existing!), created: false };
}

/** Takes the address off the list (an admin's decision: it may get campaigns again). */
export async function removeSuppression(db: Queryable, email: string): Promise<void> {
  const rows = await db.query('DELETE FROM suppressions WHERE email = $1 RETURNING email', [email.trim().toLowerCase()]);
  if (rows.length === 0) throw new HubError('not_found', `${email} is not on the suppression list`);
}

/** The list, newest first; `q` keeps addresses starting with it. */
export async function listSuppressions(db: Queryable, query: z.infer<typeof suppressionListQuery>): Promise<Page<Suppression>> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  // LIKE metacharacters in the search are literal.
  if (query.q) where.push(`email LIKE ${param(`${query.q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`)}`);
  if (query.cursor) {
    const [at, email] = decodeCursor(query.cursor, ['timestamp', 'string']);
    where.push(`(created_at, email) < (${param(at)}::timestamptz, ${param(email)})`);
  }
  const rows = await db.query<SuppressionRow>(
    `SELECT * FROM suppressions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, email DESC LIMIT ${param(query.limit + 1)}`,
    params,
  );
  return pageOf(rows.map(toSuppression), query.limit, (suppression) => [suppression.createdAt, suppression.email]);
}
