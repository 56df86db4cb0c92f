import { z } from 'zod';
import type { Queryable } from '../db/database';
import { type Customer, type CustomerRow, toCustomers } from './customers';
import { HubError } from './errors';
import { newId } from './ids';
import { compileSegmentFilter, type SegmentFilter } from './segmentFilter';

export { compileSegmentFilter, intentGroups, type SegmentCondition, type SegmentFilter } from './segmentFilter';

/** A saved filter over customers, what a campaign is sent to. */
export type Segment = { id: string; name: string; filter: SegmentFilter; createdAt: string; updatedAt: string };
/** How many customers a filter matches now, and up to SAMPLE_SIZE of them, newest first. */
export type SegmentPreview = { count: number; sample: Customer[] };

type SegmentRow = { id: string; name: string; filter: SegmentFilter; created_at: Date; updated_at: Date };

const SAMPLE_SIZE = 20;
const UNIQUE_VIOLATION = '23505';

const toSegment = (row: SegmentRow): Segment => ({
  id: row.id,
  name: row.name,
  filter: row.filter,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

// Optional to zod so a missing filter is refused by checkSegmentFilter as invalid_segment, like a wrong one.
const filterField = z.unknown().optional().describe('{ all: [...] } | { any: [...] } | { not: {...} } | { field, op, value }; see the README');
export const segmentInputSchema = z.object({ name: z.string().trim().min(1).max(200), filter: filterField }).strict();
export const segmentPatchSchema = segmentInputSchema.partial().strict();
export const segmentPreviewSchema = z.object({ filter: filterField }).strict();

/** A filter as given, once it compiles: `invalid_segment` with `details.path` otherwise. */
export function checkSegmentFilter(filter: unknown): SegmentFilter {
  if (filter === undefined) throw new HubError('invalid_segment', 'A segment needs a filter', { path: 'filter' });
  compileSegmentFilter(filter as SegmentFilter);
  return filter as SegmentFilter;
}

export async function listSegments(db: Queryable): Promise<Segment[]> {
  const rows = await db.query<SegmentRow>('SELECT * FROM segments ORDER BY lower(name), id');
  return rows.map(toSegment);
}

export async function getSegment(db: Queryable, id: string): Promise<Segment> {
  const [row] = await db.query<SegmentRow>('SELECT * FROM segments WHERE id = $1', [id]);
  if (!row) throw new HubError('segment_not_found', `No segment ${id}`);
  return toSegment(row);
}

export async function createSegment(db: Queryable, input: z.infer<typeof segmentInputSchema>): Promise<Segment> {
  const filter = checkSegmentFilter(input.filter);
  const [row] = await nameTaken(input.name, () =>
    db.query<SegmentRow>('INSERT INTO segments (id, name, filter) VALUES ($1, $2, $3) RETURNING *', [newId('seg'), input.name, JSON.stringify(filter)]),
  );
  return toSegment(row!);
}

export async function updateSegment(db: Queryable, id: string, patch: z.infer<typeof segmentPatchSchema>): Promise<Segment> {
  const filter = patch.filter === undefined ? null : JSON.stringify(checkSegmentFilter(patch.filter));
  const [row] = await nameTaken(patch.name, () =>
    db.query<SegmentRow>(
      `UPDATE segments SET name = coalesce($2, name), filter = coalesce($3::jsonb, filter), updated_at = now()
        WHERE id = $1 RETURNING *`,
      [id, patch.name ?? null, filter],
    ),
  );
  if (!row) throw new HubError('segment_not_found', `No segment ${id}`);
  return toSegment(row);
}

/** Deletes a segment no campaign or automation uses (the foreign keys back this check against a race). */
export async function deleteSegment(db: Queryable, id: string): Promise<void> {
  const [user] = await db.query<{ id: string }>('SELECT id FROM campaigns WHERE segment_id = $1 LIMIT 1', [id]);
  if (user) throw new HubError('segment_in_use', `Campaign ${user.id} uses this segment`, { campaignId: user.id });
  const [automation] = await db.query<{ id: string }>('SELECT id FROM automations WHERE segment_id = $1 LIMIT 1', [id]);
  if (automation) throw new HubError('segment_in_use', `Automation ${automation.id} uses this segment`, { automationId: automation.id });
  const rows = await db.query('DELETE FROM segments WHERE id = $1 RETURNING id', [id]);
  if (rows.length === 0) throw new HubError('segment_not_found', `No segment ${id}`);
}

/** Who the filter matches right now: the count and a sample of the newest customers. */
export async function previewSegment(db: Queryable, filter: unknown): Promise<SegmentPreview> {
  const { sql, params } = compileSegmentFilter(checkSegmentFilter(filter));
  const [counted] = await db.query<{ count: string }>(`SELECT count(*) AS count FROM (${sql}) matching`, params);
  const rows = await db.query<CustomerRow>(
    `SELECT c.* FROM customers c WHERE c.id IN (${sql}) ORDER BY c.created_at DESC, c.id DESC LIMIT ${SAMPLE_SIZE}`,
    params,
  );
  return { count: Number(counted!.count), sample: await toCustomers(db, rows) };
}

async function nameTaken<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new HubError('segment_name_taken', `Another segment is called ${name}`, { name });
    throw error;
  }
}
