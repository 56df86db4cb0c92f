import type { Queryable } from '../db/database';
import { verifyTrackingToken } from './campaignTokens';
import type { DomainContext } from './context';
import { newId } from './ids';
import { suppressAddress } from './suppressions';

type EventKind = 'opened' | 'clicked' | 'unsubscribed' | 'bounced';

/**
 * Records what a recipient did, once per recipient, kind and link: the campaign event and the
 * customer's timeline event in one statement, so a repeat records neither. True when it was new.
 */
async function recordEvent(db: Queryable, at: Date, recipientId: string, kind: EventKind, link = ''): Promise<boolean> {
  const rows = await db.query(
    `WITH event AS (
       INSERT INTO campaign_events (campaign_id, recipient_id, kind, link, at)
       SELECT campaign_id, id, $2, $3, $4 FROM campaign_recipients WHERE id = $1
       ON CONFLICT (recipient_id, kind, link) DO NOTHING
       RETURNING campaign_id, recipient_id)
     INSERT INTO timeline_events (id, customer_id, at, kind, reference, data)
     SELECT $5, coalesce(cu.merged_into_id, cu.id), $4, 'campaign.' || $2::text, event.campaign_id,
            jsonb_strip_nulls(jsonb_build_object('campaignId', c.id, 'campaignName', c.name, 'url', nullif($3::text, '')))
       FROM event
       JOIN campaign_recipients r ON r.id = event.recipient_id
       JOIN customers cu ON cu.id = r.customer_id
       JOIN campaigns c ON c.id = event.campaign_id
     RETURNING id`,
    [recipientId, kind, link, at, newId('evt')],
  );
  return rows.length > 0;
}

async function campaignOf(db: Queryable, recipientId: string): Promise<{ campaignId: string; email: string | null } | undefined> {
  const [row] = await db.query<{ campaign_id: string; email: string | null }>('SELECT campaign_id, email FROM campaign_recipients WHERE id = $1', [
    recipientId,
  ]);
  return row && { campaignId: row.campaign_id, email: row.email };
}

/** The open pixel was loaded. False for a token this server did not sign (nothing is recorded). */
export async function recordOpen(ctx: DomainContext, secretKey: string, token: string): Promise<boolean> {
  const claim = verifyTrackingToken(secretKey, token);
  if (claim?.kind !== 'open') return false;
  const recipient = await campaignOf(ctx.db, claim.recipientId);
  if (!recipient) return false;
  if (await recordEvent(ctx.db, ctx.now(), claim.recipientId, 'opened')) await ctx.queues.campaigns.statsChanged(recipient.campaignId);
  return true;
}

/**
 * A tracked link was followed: returns where it leads (the URL inside the signed token, so the
 * redirect can never be turned into an open redirect), or undefined for a bad token. A click
 * also counts as an open: mail programs that block images still let links through.
 */
export async function recordClick(ctx: DomainContext, secretKey: string, token: string): Promise<string | undefined> {
  const claim = verifyTrackingToken(secretKey, token);
  if (claim?.kind !== 'click' || !/^https?:\/\//i.test(claim.url)) return undefined;
  const recipient = await campaignOf(ctx.db, claim.recipientId);
  if (!recipient) return undefined;
  const opened = await recordEvent(ctx.db, ctx.now(), claim.recipientId, 'opened');
  const clicked = await recordEvent(ctx.db, ctx.now(), claim.recipientId, 'clicked', claim.url);
  if (opened || clicked) await ctx.queues.campaigns.statsChanged(recipient.campaignId);
  return claim.url;
}

/** The address an unsubscribe token is for, to show on the confirmation page; undefined for a bad token. */
export async function unsubscribeTarget(db: Queryable, secretKey: string, token: string): Promise<{ email: string } | undefined> {
  const claim = verifyTrackingToken(secretKey, token);
  if (claim?.kind !== 'unsubscribe') return undefined;
  const recipient = await campaignOf(db, claim.recipientId);
  return recipient?.email ? { email: recipient.email } : undefined;
}

/**
 * Unsubscribes the recipient's address from every campaign, at once (RFC 8058 one-click, or the
 * link in the body): suppressed before this returns, so no later claim sends to it. Repeats are
 * harmless. Undefined for a bad token.
 */
export async function unsubscribe(ctx: DomainContext, secretKey: string, token: string): Promise<{ email: string } | undefined> {
  const claim = verifyTrackingToken(secretKey, token);
  if (claim?.kind !== 'unsubscribe') return undefined;
  const recipient = await campaignOf(ctx.db, claim.recipientId);
  if (!recipient?.email) return undefined;
  const email = recipient.email;
  const recorded = await ctx.db.transaction(async (tx) => {
    await suppressAddress(tx, { email, reason: 'unsubscribed', campaignId: recipient.campaignId });
    return recordEvent(tx, ctx.now(), claim.recipientId, 'unsubscribed');
  });
  if (recorded) await ctx.queues.campaigns.statsChanged(recipient.campaignId);
  return { email };
}

/**
 * A bounce report about a message we sent: when its Message-ID is a campaign message, a permanent
 * failure marks the recipient bounced and suppresses the address. False when it is no campaign's.
 */
export async function recordCampaignBounce(
  ctx: DomainContext,
  bounce: { originalMessageId: string; permanent: boolean; reason: string },
): Promise<boolean> {
  const [recipient] = await ctx.db.query<{ id: number; campaign_id: string; email: string | null }>(
    'SELECT id, campaign_id, email FROM campaign_recipients WHERE message_id = $1',
    [bounce.originalMessageId],
  );
  if (!recipient) return false;
  if (!bounce.permanent) return true;
  const recipientId = String(recipient.id);
  await ctx.db.transaction(async (tx) => {
    await tx.query("UPDATE campaign_recipients SET status = 'bounced', error = $2 WHERE id = $1 AND status IN ('sent', 'sending')", [
      recipientId,
      bounce.reason.slice(0, 1000),
    ]);
    if (recipient.email) await suppressAddress(tx, { email: recipient.email, reason: 'bounced', campaignId: recipient.campaign_id });
    await recordEvent(tx, ctx.now(), recipientId, 'bounced');
  });
  await ctx.queues.campaigns.statsChanged(recipient.campaign_id);
  return true;
}
