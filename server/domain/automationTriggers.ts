import type { Queryable } from '../db/database';
import type { DomainContext } from './context';

// What the rest of the domain tells automations, after its transaction commits (the trigger job
// enrols: server/domain/automationEnrollment.ts), and the one thing it does inside: a customer's
// message stops their sequences.

/** A customer was created (through the API, or by their first email, chat or form message). */
export async function customerCreated(ctx: DomainContext, customerId: string): Promise<void> {
  await ctx.queues.automations.trigger({ type: 'customer.created', customerId, occurrence: customerId });
}

/** A conversation was resolved (or closed): one enrollment per conversation, however often it is resolved. */
export async function conversationResolved(ctx: DomainContext, conversation: { id: string; customerId: string }): Promise<void> {
  await ctx.queues.automations.trigger({
    type: 'conversation.resolved',
    customerId: conversation.customerId,
    occurrence: conversation.id,
    conversationId: conversation.id,
  });
}

/** A new order was recorded (not a repeat, not an import of past orders). */
export async function orderPlaced(ctx: DomainContext, order: { id: string; customerId: string }): Promise<void> {
  await ctx.queues.automations.trigger({ type: 'order.placed', customerId: order.customerId, occurrence: order.id });
}

export type StopReason = 'replied' | 'unsubscribed' | 'disabled' | 'erased';
type StopScope = { automationId: string } | { enrollmentId: string } | { customerId: string; enrolledBefore: Date };

/**
 * Stops active enrollments, in the caller's transaction: no further step runs, and what they
 * queued but no worker has claimed yet is skipped (`cancelled`). Returns how many stopped.
 */
export async function stopEnrollments(tx: Queryable, scope: StopScope, reason: StopReason, at: Date): Promise<number> {
  const [condition, params] =
    'automationId' in scope
      ? ['automation_id = $3', [scope.automationId]]
      : 'enrollmentId' in scope
        ? ['id = $3', [scope.enrollmentId]]
        : ['customer_id = $3 AND enrolled_at < $4', [scope.customerId, scope.enrolledBefore]];
  // A data-modifying WITH runs to completion whether or not the outer query reads it.
  const [row] = await tx.query<{ stopped: string }>(
    `WITH stopped AS (
       UPDATE automation_enrollments SET status = 'stopped', stop_reason = $1, finished_at = $2
        WHERE status = 'active' AND ${condition} RETURNING id),
     skipped AS (
       UPDATE campaign_recipients r SET status = 'skipped', skip_reason = 'cancelled'
         FROM stopped WHERE r.enrollment_id = stopped.id AND r.status = 'queued')
     SELECT count(*) AS stopped FROM stopped`,
    [reason, at, ...params],
  );
  return Number(row?.stopped ?? 0);
}

/**
 * The customer wrote to us (ingest, in its transaction): every sequence they were enrolled in
 * before stops. Ingest leaves auto-replies (out of office) out: they are no answer.
 */
export async function stopSequencesOnReply(tx: Queryable, customerId: string, at: Date): Promise<void> {
  await stopEnrollments(tx, { customerId, enrolledBefore: at }, 'replied', at);
}
