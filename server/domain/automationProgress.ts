import type { Queryable } from '../db/database';
import { stopEnrollments, type StopReason } from './automationTriggers';
import type { DomainContext } from './context';

/** What one step job did for its enrollment. */
export type StepOutcome = 'queued' | 'skipped' | 'completed' | `stopped: ${StopReason}` | 'already done' | 'gone';

type EnrollmentRow = { id: string; automation_id: string; customer_id: string; status: string; next_step: number; enrolled_at: Date; enabled: boolean };
type Step = { position: number; delay_seconds: number; campaign_id: string };
type Addressee = { erased: boolean; email: string | null; suppressed: boolean; replied: boolean };

/**
 * A step job: when the enrollment is still at this step, the customer becomes a recipient of the
 * step's campaign (the send worker mails them: claimed, tracked, at most once) and the enrollment
 * moves on to the next step, due after its delay, or ends. It stops instead when the customer
 * replied since enrolling (a message ingest's own stop may have raced the enrollment), was erased,
 * or their address is suppressed (unsubscribed, bounced). A job run twice changes nothing twice;
 * either run (re)queues what the step queued and the next step, by their deterministic job ids.
 */
export async function runAutomationStep(ctx: DomainContext, enrollmentId: string, step: number): Promise<StepOutcome> {
  const at = ctx.now();
  const outcome = await ctx.db.transaction(async (tx): Promise<StepOutcome> => {
    const [enrollment] = await tx.query<EnrollmentRow>(
      `SELECT e.id::text AS id, e.automation_id, e.customer_id, e.status, e.next_step, e.enrolled_at, a.enabled
         FROM automation_enrollments e JOIN automations a ON a.id = e.automation_id
        WHERE e.id = $1 FOR UPDATE OF e`,
      [enrollmentId],
    );
    if (!enrollment) return 'gone';
    if (enrollment.status !== 'active' || enrollment.next_step !== step) return 'already done';
    const stop = async (reason: StopReason): Promise<StepOutcome> => {
      await stopEnrollments(tx, { enrollmentId }, reason, at);
      return `stopped: ${reason}`;
    };
    if (!enrollment.enabled) return stop('disabled');
    const steps = await tx.query<Step>('SELECT position, delay_seconds, campaign_id FROM automation_steps WHERE automation_id = $1 ORDER BY position', [
      enrollment.automation_id,
    ]);
    const current = steps[step];
    // The automation lost this step since (edited to fewer steps): the sequence is over.
    if (!current) return complete(tx, enrollmentId, step, at);
    const addressee = await addresseeOf(tx, enrollment);
    if (!addressee || addressee.erased) return stop('erased');
    if (addressee.replied) return stop('replied');
    const skip = !addressee.email ? 'no_email' : addressee.suppressed ? 'suppressed' : null;
    await tx.query(
      `INSERT INTO campaign_recipients (campaign_id, customer_id, email, status, skip_reason, enrollment_id)
       SELECT $1, coalesce(cu.merged_into_id, cu.id), $3, $4, $5, $6 FROM customers cu WHERE cu.id = $2
       ON CONFLICT (enrollment_id, campaign_id) WHERE enrollment_id IS NOT NULL DO NOTHING`,
      [current.campaign_id, enrollment.customer_id, addressee.email, skip ? 'skipped' : 'queued', skip, enrollmentId],
    );
    if (skip === 'suppressed') return stop('unsubscribed');
    const next = steps[step + 1];
    if (!next) return complete(tx, enrollmentId, step, at);
    await tx.query("UPDATE automation_enrollments SET next_step = $2, next_step_at = $3::timestamptz + $4 * interval '1 second' WHERE id = $1", [
      enrollmentId,
      step + 1,
      at,
      next.delay_seconds,
    ]);
    return skip ? 'skipped' : 'queued';
  });
  await queueWhatFollows(ctx, enrollmentId);
  return outcome;
}

async function complete(tx: Queryable, enrollmentId: string, step: number, at: Date): Promise<StepOutcome> {
  await tx.query("UPDATE automation_enrollments SET status = 'completed', next_step = $2, finished_at = $3 WHERE id = $1", [enrollmentId, step + 1, at]);
  return 'completed';
}

/**
 * Who the step mails: the customer (or whom they were merged into), their first email, whether it
 * is suppressed, and whether they wrote to us since enrolling (auto-replies apart).
 */
async function addresseeOf(tx: Queryable, enrollment: EnrollmentRow): Promise<Addressee | undefined> {
  const [row] = await tx.query<Addressee>(
    `SELECT live.erased_at IS NOT NULL AS erased, address.value AS email,
            EXISTS (SELECT 1 FROM suppressions s WHERE s.email = address.value) AS suppressed,
            EXISTS (SELECT 1 FROM messages m
                     WHERE m.customer_id IN (cu.id, live.id) AND m.direction = 'inbound' AND NOT m.automated AND m.created_at > $2) AS replied
       FROM customers cu
       JOIN customers live ON live.id = coalesce(cu.merged_into_id, cu.id)
       LEFT JOIN LATERAL (
         SELECT ci.value FROM customer_identities ci
          WHERE ci.customer_id = live.id AND ci.kind = 'email' ORDER BY ci.created_at, ci.id LIMIT 1) address ON true
      WHERE cu.id = $1`,
    [enrollment.customer_id, enrollment.enrolled_at],
  );
  return row;
}

/** After the commit: send jobs for what the enrollment has queued, and the job of its next step. */
async function queueWhatFollows(ctx: DomainContext, enrollmentId: string): Promise<void> {
  const queued = await ctx.db.query<{ id: string; campaign_id: string }>(
    "SELECT id::text AS id, campaign_id FROM campaign_recipients WHERE enrollment_id = $1 AND status = 'queued' ORDER BY id",
    [enrollmentId],
  );
  for (const campaignId of new Set(queued.map((recipient) => recipient.campaign_id))) {
    await ctx.queues.campaigns.enqueueSends(campaignId, queued.filter((recipient) => recipient.campaign_id === campaignId).map((recipient) => recipient.id));
    await ctx.queues.campaigns.statsChanged(campaignId);
  }
  const [enrollment] = await ctx.db.query<{ status: string; next_step: number; next_step_at: Date }>(
    'SELECT status, next_step, next_step_at FROM automation_enrollments WHERE id = $1',
    [enrollmentId],
  );
  if (enrollment?.status === 'active') await ctx.queues.automations.step(enrollmentId, enrollment.next_step, enrollment.next_step_at);
}
