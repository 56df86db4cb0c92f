import type { Queryable } from '../db/database';
import type { DomainContext } from './context';
import { newId } from './ids';

/** What a recipient needs to be mailed: the address, the Message-ID every attempt carries, and who they are. */
export type ClaimedRecipient = {
  id: string;
  campaignId: string;
  customerId: string;
  email: string;
  messageId: string;
  attempts: number;
  customer: { id: string; name: string | null; email: string; attributes: Record<string, unknown>; tags: string[] };
};

/**
 * Why a send job found nothing to send: the recipient is done (sent, failed, bounced), was skipped
 * now (suppressed or erased since planning), is held by another claim whose lease runs until
 * `until` (sending, or marked sent and awaiting the server's answer), or its campaign is not
 * sending (paused or cancelled: the recipient stays as it is).
 */
export type Claim =
  | { kind: 'claimed'; recipient: ClaimedRecipient }
  | { kind: 'done' }
  | { kind: 'skipped'; reason: 'suppressed' | 'erased' }
  | { kind: 'held'; until: Date }
  | { kind: 'campaign not sending' };

type ClaimRow = {
  id: number;
  campaign_id: string;
  customer_id: string;
  status: 'sending' | 'skipped';
  skip_reason: 'suppressed' | 'erased' | null;
  email: string;
  message_id: string;
  attempts: number;
  name: string | null;
  attributes: Record<string, unknown>;
  tags: string[];
};

/**
 * Takes the recipient for one send attempt, in one statement, before any SMTP: queued -> sending
 * with a lease (or a lapsed lease taken over). Of two jobs for one recipient only one can win,
 * and a recipient once `sent` is never taken again. The Message-ID is fixed at the first claim
 * (`<campaign.recipient@domain>`), so a resend after a crash is recognisable as the same message.
 */
export async function claimRecipient(db: Queryable, recipientId: string, options: { leaseMs: number; messageIdDomain: string }): Promise<Claim> {
  const [row] = await db.query<ClaimRow>(
    `WITH facts AS (
       SELECT r.id,
              CASE WHEN cu.erased_at IS NOT NULL THEN 'erased'
                   WHEN EXISTS (SELECT 1 FROM suppressions s WHERE s.email = r.email) THEN 'suppressed' END AS skip
         FROM campaign_recipients r JOIN customers cu ON cu.id = r.customer_id
        WHERE r.id = $1)
     UPDATE campaign_recipients r SET
            status = CASE WHEN f.skip IS NULL THEN 'sending' ELSE 'skipped' END,
            skip_reason = f.skip,
            lease_until = CASE WHEN f.skip IS NULL THEN now() + $2 * interval '1 millisecond' END,
            attempts = r.attempts + CASE WHEN f.skip IS NULL THEN 1 ELSE 0 END,
            message_id = coalesce(r.message_id, '<' || r.campaign_id || '.' || r.id || '@' || $3 || '>')
       FROM facts f, campaigns c, customers cu
      WHERE r.id = f.id AND c.id = r.campaign_id AND cu.id = r.customer_id AND c.status = 'sending'
        AND (r.status = 'queued' OR (r.status = 'sending' AND r.lease_until <= now()))
     RETURNING r.id, r.campaign_id, r.customer_id, r.status, r.skip_reason, r.email, r.message_id, r.attempts,
               cu.name, cu.attributes, cu.tags`,
    [recipientId, options.leaseMs, options.messageIdDomain],
  );
  if (row?.status === 'sending') {
    return {
      kind: 'claimed',
      recipient: {
        id: String(row.id),
        campaignId: row.campaign_id,
        customerId: row.customer_id,
        email: row.email,
        messageId: row.message_id,
        attempts: row.attempts,
        customer: { id: row.customer_id, name: row.name, email: row.email, attributes: row.attributes, tags: row.tags },
      },
    };
  }
  if (row) return { kind: 'skipped', reason: row.skip_reason! };
  return whyNotClaimed(db, recipientId);
}

async function whyNotClaimed(db: Queryable, recipientId: string): Promise<Claim> {
  const [row] = await db.query<{ status: string; lease_until: Date | null; campaign_status: string; lapsed: boolean | null }>(
    `SELECT r.status, r.lease_until, c.status AS campaign_status, r.lease_until <= now() AS lapsed
       FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE r.id = $1`,
    [recipientId],
  );
  if (!row) return { kind: 'done' };
  // Marked sent, its sender still waiting for the server's answer (which may undo the mark).
  if (row.status === 'sent' && row.lease_until && !row.lapsed) return { kind: 'held', until: row.lease_until };
  if (row.status !== 'queued' && row.status !== 'sending') return { kind: 'done' };
  if (row.campaign_status !== 'sending') return { kind: 'campaign not sending' };
  // Lost a race with another claim: held until its lease runs out (or, if that lapsed meanwhile, now).
  return { kind: 'held', until: row.status === 'sending' && !row.lapsed ? row.lease_until! : new Date() };
}

/** One claim of a recipient: its attempt number, which the next claim (a takeover) moves on. */
export type RecipientClaim = Pick<ClaimedRecipient, 'attempts'>;

/**
 * The message is about to be completed (its last bytes are with the mail server, the final dot not
 * yet): sent, and on the customer's timeline (the survivor's, if they were merged since), in one
 * statement, so never one without the other. Only while the recipient is `sending` under `claim`
 * (when given): false when another attempt has taken it over, and then the message must not go out.
 * Under a claim the lease stays on the row until `confirmRecipientSent`: sent, not yet answered.
 */
export async function markRecipientSent(ctx: DomainContext, recipientId: string, subject: string, claim?: RecipientClaim): Promise<boolean> {
  const rows = await ctx.db.query(
    `WITH sent AS (
       UPDATE campaign_recipients SET status = 'sent', sent_at = $2, error = NULL,
              lease_until = CASE WHEN $5::int IS NULL THEN NULL ELSE lease_until END
        WHERE id = $1 AND status = 'sending' AND ($5::int IS NULL OR attempts = $5)
        RETURNING campaign_id, customer_id, message_id)
     INSERT INTO timeline_events (id, customer_id, at, kind, reference, data)
     SELECT $3, coalesce(cu.merged_into_id, cu.id), $2, 'campaign.sent', sent.campaign_id,
            jsonb_build_object('campaignId', c.id, 'campaignName', c.name, 'subject', $4::text, 'messageId', sent.message_id)
       FROM sent JOIN campaigns c ON c.id = sent.campaign_id JOIN customers cu ON cu.id = sent.customer_id
     RETURNING id`,
    [recipientId, ctx.now(), newId('evt'), subject, claim?.attempts ?? null],
  );
  return rows.length > 0;
}

/** It will not be delivered (a permanent refusal, or retries used up). */
export async function markRecipientFailed(db: Queryable, recipientId: string, reason: string, claim?: RecipientClaim): Promise<void> {
  await db.query(
    "UPDATE campaign_recipients SET status = 'failed', error = $2, lease_until = NULL WHERE id = $1 AND status = 'sending' AND ($3::int IS NULL OR attempts = $3)",
    [recipientId, reason.slice(0, 1000), claim?.attempts ?? null],
  );
}

/** The mail server refused for now (4xx): nothing was accepted, so the next attempt may claim it again. */
export async function releaseRecipient(db: Queryable, recipientId: string, reason: string, claim?: RecipientClaim): Promise<void> {
  await db.query(
    "UPDATE campaign_recipients SET status = 'queued', error = $2, lease_until = NULL WHERE id = $1 AND status = 'sending' AND ($3::int IS NULL OR attempts = $3)",
    [recipientId, reason.slice(0, 1000), claim?.attempts ?? null],
  );
}

/**
 * The mail server refused the message after it was marked sent (its answer to the final dot):
 * `failed` (permanent), or back to `queued` (for now) while the campaign still sends or is paused,
 * and its `campaign.sent` event removed, in one statement. Only the mark this claim made is undone.
 * If the campaign was finished meanwhile (a resume checks only for queued and claimed recipients),
 * nothing would claim a queued recipient again, and it is `failed` instead.
 * Returns the status it was given (undefined when this claim's mark was not there).
 */
export async function unmarkRecipientSent(
  db: Queryable,
  recipientId: string,
  claim: RecipientClaim,
  to: 'failed' | 'queued',
  reason: string,
): Promise<'failed' | 'queued' | undefined> {
  const [row] = await db.query<{ status: 'failed' | 'queued' }>(
    `WITH reverted AS (
       UPDATE campaign_recipients r
          SET status = CASE WHEN $3::text = 'queued' AND c.status IN ('sending', 'paused') THEN 'queued' ELSE 'failed' END,
              error = $4, sent_at = NULL, lease_until = NULL
         FROM campaigns c
        WHERE r.id = $1 AND r.status = 'sent' AND r.attempts = $2 AND c.id = r.campaign_id
        RETURNING r.campaign_id, r.message_id, r.status),
     dropped AS (
       DELETE FROM timeline_events t USING reverted
        WHERE t.reference = reverted.campaign_id AND t.kind = 'campaign.sent' AND t.data->>'messageId' = reverted.message_id)
     SELECT status FROM reverted`,
    [recipientId, claim.attempts, to, reason.slice(0, 1000)],
  );
  return row?.status;
}

/**
 * Nothing of the campaign is queued or in flight: no recipient queued or being sent, and none
 * marked sent whose sender is still waiting for the server's answer (its lease running). Only then
 * may a send finish the campaign, so a campaign is `sent` once the server has answered every message.
 * Asked by each send after its own confirmation committed, so the last to ask sees every other's.
 * The unanswered are looked for only when nothing is queued or sending (near the end), not per send.
 */
export async function campaignIdle(db: Queryable, campaignId: string): Promise<boolean> {
  const [row] = await db.query<{ idle: boolean }>(
    `SELECT CASE WHEN EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = $1 AND status IN ('queued', 'sending')) THEN false
                 ELSE NOT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = $1 AND status = 'sent' AND lease_until > now())
            END AS idle`,
    [campaignId],
  );
  return row!.idle;
}

/**
 * The server has answered the message (250), or the connection failed before its answer and
 * `unconfirmed` says why (the server may have it: at most once means it stays sent, the reason noted
 * for the operator): this claim's sent recipient is settled, its lease cleared.
 */
export async function confirmRecipientSent(db: Queryable, recipientId: string, claim: RecipientClaim, unconfirmed?: string): Promise<void> {
  await db.query("UPDATE campaign_recipients SET lease_until = NULL, error = coalesce($3, error) WHERE id = $1 AND status = 'sent' AND attempts = $2", [
    recipientId,
    claim.attempts,
    unconfirmed === undefined ? null : `not confirmed by the mail server: ${unconfirmed}`.slice(0, 1000),
  ]);
}
