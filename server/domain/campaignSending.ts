import { z } from 'zod';
import type { Queryable } from '../db/database';
import { instantOfWallClock } from './businessHours';
import { assertCampaignSendable, type Campaign, getCampaign } from './campaigns';
import type { DomainContext } from './context';
import { HubError } from './errors';
import { compileSegmentFilter } from './segments';

export const scheduleRequest = z.object({
  at: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/, 'must be an ISO 8601 date-time such as 2026-05-01T09:00 or 2026-05-01T09:00:00Z')
    .optional()
    .describe('When to start; without an offset, read in `timezone`. Omitted: now'),
  timezone: z.string().trim().min(1).max(100).optional().describe('IANA time zone, e.g. Europe/Berlin (default UTC)'),
});

// A schedule a moment in the past (the request's own latency) still means "now".
const PAST_TOLERANCE_MS = 5_000;
// Recipients read and queued per round when sending starts.
const PLAN_PAGE = 1000;

type StateRow = {
  id: string;
  status: Campaign['status'];
  segment_id: string | null;
  scheduled_at: Date | null;
  rate_per_second: number | null;
  smtp_account: string | null;
  automation_id: string | null;
};

async function lockCampaign(tx: Queryable, campaignId: string): Promise<StateRow> {
  const [row] = await tx.query<StateRow>(
    'SELECT id, status, segment_id, scheduled_at, rate_per_second, smtp_account, automation_id FROM campaigns WHERE id = $1 FOR UPDATE',
    [campaignId],
  );
  if (!row) throw new HubError('campaign_not_found', `No campaign ${campaignId}`);
  return row;
}

const refuse = (row: StateRow, action: string) =>
  row.automation_id
    ? new HubError('campaign_state', `This campaign is a step of automation ${row.automation_id}: change the automation instead`, {
        status: row.status,
        action,
        automationId: row.automation_id,
      })
    : new HubError('campaign_state', `A ${row.status} campaign cannot be ${action}`, { status: row.status, action });

/** When a schedule request means: its instant, read in its time zone when it has no offset. */
export function scheduledInstant(input: z.infer<typeof scheduleRequest>, now: Date): { at: Date; timezone: string } {
  const timezone = input.timezone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new HubError('validation_failed', `timezone: ${JSON.stringify(timezone)} is not an IANA time zone`);
  }
  if (!input.at) return { at: now, timezone };
  const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(input.at);
  const at = new Date(hasOffset ? Date.parse(input.at) : instantOfWallClock(Date.parse(`${input.at}Z`), timezone));
  if (Number.isNaN(at.getTime())) throw new HubError('validation_failed', `at: ${JSON.stringify(input.at)} is not a date-time`);
  if (at.getTime() < now.getTime() - PAST_TOLERANCE_MS) throw new HubError('validation_failed', `at: ${input.at} is in the past`);
  return { at: at < now ? now : at, timezone };
}

/** draft (or scheduled: a new time) -> scheduled; sending starts at `at` through the control queue. */
export async function scheduleCampaign(
  ctx: DomainContext,
  campaignId: string,
  input: z.infer<typeof scheduleRequest>,
  options: { smtpAccounts: readonly string[] },
): Promise<Campaign> {
  const { at, timezone } = scheduledInstant(input, ctx.now());
  const campaign = await ctx.db.transaction(async (tx) => {
    const row = await lockCampaign(tx, campaignId);
    if (row.status !== 'draft' && row.status !== 'scheduled') throw refuse(row, 'scheduled');
    assertCampaignSendable(await getCampaign(tx, campaignId), { needsSegment: true });
    // Checked again here: the configuration may have changed since the campaign was saved.
    if (row.smtp_account && !options.smtpAccounts.includes(row.smtp_account)) {
      throw new HubError('validation_failed', `smtpAccount: no SMTP account ${row.smtp_account}; configured: ${options.smtpAccounts.join(', ')}`);
    }
    await tx.query("UPDATE campaigns SET status = 'scheduled', scheduled_at = $2, timezone = $3, updated_at = $4 WHERE id = $1", [
      campaignId,
      at,
      timezone,
      ctx.now(),
    ]);
    return getCampaign(tx, campaignId);
  });
  await ctx.queues.campaigns.start(campaignId, at);
  ctx.publish([{ type: 'campaign:updated', campaign }]);
  return campaign;
}

/** sending -> paused: the send queue hands out no more jobs; sends already under way finish. */
export async function pauseCampaign(ctx: DomainContext, campaignId: string): Promise<Campaign> {
  const campaign = await transition(ctx, campaignId, 'paused', (row) => row.status === 'sending');
  await ctx.queues.campaigns.pause(campaignId);
  ctx.publish([{ type: 'campaign:updated', campaign }]);
  return campaign;
}

/** paused -> sending: the control step queues what is left (again, harmlessly) and resumes the send queue. */
export async function resumeCampaign(ctx: DomainContext, campaignId: string): Promise<Campaign> {
  const campaign = await transition(ctx, campaignId, 'resumed', (row) => row.status === 'paused', 'sending');
  await ctx.queues.campaigns.start(campaignId);
  ctx.publish([{ type: 'campaign:updated', campaign }]);
  return campaign;
}

/** scheduled, sending or paused -> cancelled: what is still queued is skipped and its jobs dropped. */
export async function cancelCampaign(ctx: DomainContext, campaignId: string): Promise<Campaign> {
  const campaign = await ctx.db.transaction(async (tx) => {
    const row = await lockCampaign(tx, campaignId);
    if (row.automation_id || !['scheduled', 'sending', 'paused'].includes(row.status)) throw refuse(row, 'cancelled');
    await tx.query("UPDATE campaigns SET status = 'cancelled', finished_at = $2, updated_at = $2 WHERE id = $1", [campaignId, ctx.now()]);
    // Recipients claimed a moment ago are in flight and end as sent or failed.
    await tx.query("UPDATE campaign_recipients SET status = 'skipped', skip_reason = 'cancelled' WHERE campaign_id = $1 AND status = 'queued'", [campaignId]);
    return getCampaign(tx, campaignId);
  });
  await ctx.queues.campaigns.stop(campaignId);
  await ctx.queues.campaigns.statsChanged(campaignId);
  ctx.publish([{ type: 'campaign:updated', campaign }]);
  return campaign;
}

async function transition(
  ctx: DomainContext,
  campaignId: string,
  action: string,
  allowed: (row: StateRow) => boolean,
  to: Campaign['status'] = action as Campaign['status'],
): Promise<Campaign> {
  return ctx.db.transaction(async (tx) => {
    const row = await lockCampaign(tx, campaignId);
    if (row.automation_id || !allowed(row)) throw refuse(row, action);
    await tx.query('UPDATE campaigns SET status = $2, updated_at = $3 WHERE id = $1', [campaignId, to, ctx.now()]);
    return getCampaign(tx, campaignId);
  });
}

/**
 * The control step (a `campaign-control` job): a scheduled campaign whose time has come gets its
 * recipients materialised in one INSERT … SELECT over the compiled segment (one row per customer,
 * those without email or suppressed recorded as skipped) and becomes `sending`; then, and for a
 * sending campaign on every later call (resume, a retried job), everything still to send is
 * queued by recipient id, which queues each at most once, and its send queue is let go as soon
 * as the first batch is in (`onSending` then tells the workers, who start while the rest is queued).
 * Returns whether the campaign is still sending.
 */
export async function startSending(ctx: DomainContext, campaignId: string, onSending: () => Promise<void> = async () => undefined): Promise<{ sending: boolean }> {
  const started = await ctx.db.transaction(async (tx) => {
    const row = await lockCampaign(tx, campaignId).catch(() => undefined);
    if (!row) return undefined;
    if (row.status === 'scheduled') {
      // An earlier schedule's job: the campaign was given a later time since.
      if (row.scheduled_at && row.scheduled_at.getTime() > ctx.now().getTime() + PAST_TOLERANCE_MS) return undefined;
      await materialiseRecipients(tx, row);
      await tx.query("UPDATE campaigns SET status = 'sending', started_at = coalesce(started_at, $2), updated_at = $2 WHERE id = $1", [campaignId, ctx.now()]);
      return { row, campaign: await getCampaign(tx, campaignId) };
    }
    return row.status === 'sending' ? { row, campaign: undefined } : undefined;
  });
  if (!started) return { sending: false };
  if (started.campaign) ctx.publish([{ type: 'campaign:updated', campaign: started.campaign }]);
  if (started.row.rate_per_second) await ctx.queues.campaigns.setRate(campaignId, Number(started.row.rate_per_second));
  let announced = false;
  const announce = async () => {
    if (announced) return;
    announced = true;
    // Paused meanwhile: its queue stays held (a claim would refuse anyway while it is not sending).
    const [row] = await ctx.db.query<{ status: string }>('SELECT status FROM campaigns WHERE id = $1', [campaignId]);
    if (row?.status !== 'sending') return;
    await ctx.queues.campaigns.resume(campaignId);
    await onSending();
  };
  for (let after = 0; ; ) {
    const page = await ctx.db.query<{ id: number }>(
      `SELECT id FROM campaign_recipients
        WHERE campaign_id = $1 AND id > $2 AND (status = 'queued' OR (status = 'sending' AND lease_until <= now()))
        ORDER BY id LIMIT ${PLAN_PAGE}`,
      [campaignId, after],
    );
    if (page.length === 0) break;
    await ctx.queues.campaigns.enqueueSends(campaignId, page.map((recipient) => String(recipient.id)));
    await announce();
    after = page[page.length - 1]!.id;
  }
  await announce();
  await ctx.queues.campaigns.statsChanged(campaignId);
  return { sending: !(await finishCampaignIfDone(ctx, campaignId)) };
}

async function materialiseRecipients(tx: Queryable, row: StateRow): Promise<void> {
  const [segment] = await tx.query<{ filter: unknown }>('SELECT filter FROM segments WHERE id = $1', [row.segment_id]);
  if (!segment) throw new HubError('validation_failed', `The segment ${row.segment_id} of campaign ${row.id} no longer exists`);
  const compiled = compileSegmentFilter(segment.filter as Parameters<typeof compileSegmentFilter>[0], 2);
  // The customer's first email, as on their record; suppressed addresses and customers without one are kept as skipped.
  await tx.query(
    `INSERT INTO campaign_recipients (campaign_id, customer_id, email, status, skip_reason)
     SELECT $1, audience.id, address.value,
            CASE WHEN address.value IS NULL OR suppressed.email IS NOT NULL THEN 'skipped' ELSE 'queued' END,
            CASE WHEN address.value IS NULL THEN 'no_email' WHEN suppressed.email IS NOT NULL THEN 'suppressed' END
       FROM (${compiled.sql}) audience
       LEFT JOIN LATERAL (
         SELECT ci.value FROM customer_identities ci
          WHERE ci.customer_id = audience.id AND ci.kind = 'email' ORDER BY ci.created_at, ci.id LIMIT 1) address ON true
       LEFT JOIN suppressions suppressed ON suppressed.email = address.value
      ORDER BY audience.id
     ON CONFLICT (campaign_id, customer_id) WHERE enrollment_id IS NULL DO NOTHING`,
    [row.id, ...compiled.params],
  );
}

/**
 * sending -> sent once no recipient is queued, being sent or awaiting the server's answer; true when
 * this call finished it. An automation's current step is never finished: enrollments keep adding
 * recipients to it.
 */
export async function finishCampaignIfDone(ctx: DomainContext, campaignId: string): Promise<boolean> {
  const rows = await ctx.db.query(
    `UPDATE campaigns SET status = 'sent', finished_at = $2, updated_at = $2
      WHERE id = $1 AND status = 'sending'
        AND NOT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = $1 AND status IN ('queued', 'sending'))
        -- Marked sent before the final dot and still waiting for the server's answer: a refusal would undo it.
        AND NOT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id = $1 AND status = 'sent' AND lease_until > now())
        AND NOT EXISTS (SELECT 1 FROM automation_steps WHERE campaign_id = $1)
      RETURNING id`,
    [campaignId, ctx.now()],
  );
  if (rows.length === 0) return false;
  const finished = await getCampaign(ctx.db, campaignId);
  ctx.publish([{ type: 'campaign:updated', campaign: finished }]);
  await ctx.queues.campaigns.statsChanged(campaignId);
  return true;
}
