import type { Queryable } from '../db/database';
import type { AutomationTrigger, DomainContext } from './context';
import { compileSegmentFilter, type SegmentFilter } from './segments';

/**
 * The first daily inactivity run looks back this far: as far as a daily run before it would have
 * seen. Customers whose inactivity crossed the threshold earlier, before the automation existed,
 * are not enrolled: creating a win-back automation does not mail the whole dormant base at once.
 */
export const INACTIVITY_LOOKBACK_MS = 86_400_000;

/** What counts as a customer's own activity: writing to us, submitting a form, ordering, rating, clicking a campaign link. */
export const ACTIVITY_KINDS = ['message.received', 'form.submitted', 'order.placed', 'conversation.rated', 'campaign.clicked'] as const;

type Candidate = { id: string; filter: SegmentFilter | null; first_delay: number };

/** Enabled automations of a trigger type with their segment's filter and first step's delay. */
async function automationsOf(db: Queryable, type: string): Promise<(Candidate & { inactivity_days: number | null; inactivity_checked_at: Date | null })[]> {
  return db.query(
    `SELECT a.id, a.inactivity_days, a.inactivity_checked_at, sg.filter, s.delay_seconds AS first_delay
       FROM automations a
       JOIN automation_steps s ON s.automation_id = a.id AND s.position = 0
       LEFT JOIN segments sg ON sg.id = a.segment_id
      WHERE a.enabled AND a.trigger_type = $1
      ORDER BY a.created_at, a.id`,
    [type],
  );
}

/** `AND cu.id IN (segment)` with its parameters numbered from `firstParam`, or nothing for everyone. */
function inSegment(filter: SegmentFilter | null, firstParam: number): { sql: string; params: unknown[] } {
  if (!filter) return { sql: '', params: [] };
  const compiled = compileSegmentFilter(filter, firstParam);
  return { sql: `AND cu.id IN (${compiled.sql})`, params: compiled.params };
}

/**
 * A trigger job: enrols the customer in every enabled automation of the trigger whose segment they
 * are in, once per (automation, customer, occurrence), and queues each first step after its delay.
 * A retried job enrols nobody twice and queues the first steps it may have lost. Returns how many
 * enrollments it made.
 */
export async function enrollOnTrigger(ctx: DomainContext, event: AutomationTrigger): Promise<number> {
  const automations = await automationsOf(ctx.db, event.type);
  if (automations.length === 0) return 0;
  const at = ctx.now();
  let enrolled = 0;
  for (const automation of automations) {
    const segment = inSegment(automation.filter, 7);
    const rows = await ctx.db.query(
      `INSERT INTO automation_enrollments (automation_id, customer_id, occurrence, conversation_id, enrolled_at, next_step_at)
       SELECT $1, cu.id, $3, $4, $5, $5::timestamptz + $6 * interval '1 second'
         FROM customers cu
        WHERE cu.id = $2 AND cu.merged_into_id IS NULL AND cu.erased_at IS NULL ${segment.sql}
       ON CONFLICT (automation_id, customer_id, occurrence) DO NOTHING
       RETURNING id`,
      [automation.id, event.customerId, event.occurrence, event.conversationId ?? null, at, automation.first_delay, ...segment.params],
    );
    enrolled += rows.length;
  }
  await queueFirstSteps(ctx, 'customer_id = $1 AND occurrence = $2 AND automation_id = ANY($3)', [
    event.customerId,
    event.occurrence,
    automations.map((automation) => automation.id),
  ]);
  return enrolled;
}

/**
 * The daily job: for each enabled inactivity automation, one INSERT … SELECT enrols the customers
 * whose last activity (ACTIVITY_KINDS, or their creation) is N days old as of a moment since the
 * previous run. A customer is enrolled once per inactive spell (the occurrence is the time of their
 * last activity), so a run repeated or retried enrols nobody twice. Returns how many it enrolled.
 */
export async function enrollInactiveCustomers(ctx: DomainContext): Promise<number> {
  let enrolled = 0;
  for (const automation of await automationsOf(ctx.db, 'inactivity')) {
    const now = ctx.now();
    const days = automation.inactivity_days!;
    const since = automation.inactivity_checked_at ?? new Date(now.getTime() - INACTIVITY_LOOKBACK_MS);
    const segment = inSegment(automation.filter, 7);
    enrolled += await ctx.db.transaction(async (tx) => {
      const rows = await tx.query(
        `INSERT INTO automation_enrollments (automation_id, customer_id, occurrence, enrolled_at, next_step_at)
         SELECT $1, activity.id, 'inactive-since-' || floor(extract(epoch FROM activity.last_at) * 1000)::bigint, $2, $2::timestamptz + $3 * interval '1 second'
           FROM (SELECT cu.id, greatest(cu.created_at, latest.at) AS last_at
                   FROM customers cu
                   LEFT JOIN LATERAL (
                     SELECT te.at FROM timeline_events te
                      WHERE te.customer_id = cu.id AND te.kind = ANY($6) ORDER BY te.at DESC LIMIT 1) latest ON true
                  WHERE cu.merged_into_id IS NULL AND cu.erased_at IS NULL AND cu.created_at <= $5 ${segment.sql}) activity
          WHERE activity.last_at > $4 AND activity.last_at <= $5
         ON CONFLICT (automation_id, customer_id, occurrence) DO NOTHING
         RETURNING id`,
        [
          automation.id,
          now,
          automation.first_delay,
          new Date(since.getTime() - days * 86_400_000),
          new Date(now.getTime() - days * 86_400_000),
          ACTIVITY_KINDS,
          ...segment.params,
        ],
      );
      await tx.query('UPDATE automations SET inactivity_checked_at = $2 WHERE id = $1', [automation.id, now]);
      return rows.length;
    });
    await queueFirstSteps(ctx, 'automation_id = $1', [automation.id]);
  }
  return enrolled;
}

/** Queues the first step of the matching active enrollments still before it; job ids make a repeat harmless. */
async function queueFirstSteps(ctx: DomainContext, condition: string, params: unknown[]): Promise<void> {
  const pending = await ctx.db.query<{ id: string; next_step_at: Date }>(
    `SELECT id::text AS id, next_step_at FROM automation_enrollments WHERE ${condition} AND status = 'active' AND next_step = 0`,
    params,
  );
  for (const enrollment of pending) await ctx.queues.automations.step(enrollment.id, 0, enrollment.next_step_at);
}
