import { DelayedError, type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { type CampaignSendJob, rateWindow } from '../server/campaignQueues';
import type { CampaignSmtpAccount } from '../server/campaignSmtpAccounts';
import { type CampaignContent, composeCampaignMail, type TrackingLinks } from '../server/channels/email/campaignMail';
import type { CampaignTransport } from '../server/channels/email/campaignTransport';
import { isPermanentFailure } from '../server/channels/email/outbound';
import {
  campaignIdle,
  claimRecipient,
  confirmRecipientSent,
  markRecipientFailed,
  markRecipientSent,
  releaseRecipient,
  unmarkRecipientSent,
} from '../server/domain/campaignDelivery';
import { finishCampaignIfDone } from '../server/domain/campaignSending';
import type { DomainContext } from '../server/domain/context';
import type { SendLimit } from './campaignRateLimit';

/** What one campaign's sends need to know about it, read once per worker process. */
export type SendingCampaign = {
  content: CampaignContent;
  account: { name: string } & CampaignSmtpAccount;
  ratePerHour: number | null;
  messageIdDomain: string;
};

export type CampaignSendDeps = {
  domain: DomainContext;
  log: Logger;
  links: TrackingLinks;
  leaseMs: number;
  campaign: SendingCampaign;
  transport: CampaignTransport;
  /** Takes a slot in each limit, or answers how many ms until one is free. */
  takeSlot: (limits: readonly SendLimit[]) => Promise<number>;
  /** The campaign's send queue, to hold it back when an hourly or account limit is reached. */
  queue: Pick<Queue, 'rateLimit'>;
};

const HOUR_MS = 3_600_000;

/** The limits BullMQ's own (per second, per campaign) does not cover: the campaign's hour, the account's second and hour. */
export function sendLimits(campaignId: string, campaign: SendingCampaign): SendLimit[] {
  const { account } = campaign;
  const limits: SendLimit[] = [];
  if (campaign.ratePerHour) limits.push({ key: `campaign:${campaignId}`, max: campaign.ratePerHour, windowMs: HOUR_MS });
  if (account.ratePerSecond) {
    const { max, duration } = rateWindow(account.ratePerSecond);
    limits.push({ key: `account:${account.name}`, max, windowMs: duration });
  }
  if (account.ratePerHour) limits.push({ key: `account:${account.name}`, max: account.ratePerHour, windowMs: HOUR_MS });
  return limits;
}

/**
 * Sends one recipient's message, at most once. The recipient is claimed (queued -> sending, with a
 * lease and a new attempt number) before SMTP; only the winner talks to the server. The commit point
 * is inside the SMTP transaction: once the server has taken the envelope and the message's bytes,
 * and before the terminating dot, the recipient is marked sent with its `campaign.sent` timeline
 * event (one statement, only if this claim still holds it); only then is the dot written. If the
 * claim was lost meanwhile, the connection is dropped without the dot and the server discards the
 * message. A retried job, or one taken over from a worker that died, finds `sent` and sends nothing.
 *
 * After the mark the row keeps its lease until the server's answer: a 250 settles it; a refusal of
 * the message undoes the mark (`failed` for a 5xx or the last attempt, back to `queued` for a 4xx,
 * or `failed` if the campaign was finished meanwhile); a connection lost before the answer leaves it
 * `sent`, noted as unconfirmed, since the server may have the message. A campaign is finished only
 * when nothing is queued, claimed or unanswered, so `sent` still means every message was answered.
 *
 * What remains is a crash (or lost connection) between the mark's commit and the dot reaching the
 * socket: that recipient stays `sent` without the server having the message (its job, back from the
 * dead worker, is held until the lease lapses and then finds it done). The failure mode left is a
 * missing message, never a second one, in a window of the mark's reply from the database and a few
 * stream ticks, instead of the SMTP round trip (see README, Campaigns).
 */
export function sendCampaignMessage(deps: CampaignSendDeps): (job: Job<CampaignSendJob>, token?: string) => Promise<string> {
  const limits = sendLimits(deps.campaign.content.id, deps.campaign);
  const campaignId = deps.campaign.content.id;
  // Only once nothing is queued or unanswered: a send does not finish the campaign under another's feet.
  const finishIfIdle = async () => {
    if (await campaignIdle(deps.domain.db, campaignId)) await finishCampaignIfDone(deps.domain, campaignId);
  };
  return async (job, token) => {
    const wait = await deps.takeSlot(limits);
    if (wait > 0) {
      // BullMQ's manual rate limit: the job goes back to wait (no attempt used) and the queue rests.
      await deps.queue.rateLimit(wait);
      throw Worker.RateLimitError();
    }
    const { recipientId } = job.data;
    const claim = await claimRecipient(deps.domain.db, recipientId, { leaseMs: deps.leaseMs, messageIdDomain: deps.campaign.messageIdDomain });
    if (claim.kind === 'held') {
      // Another attempt holds it (a worker that stalled but may still be sending): look again when its lease ends.
      await job.moveToDelayed(claim.until.getTime() + 100, token);
      throw new DelayedError();
    }
    if (claim.kind !== 'claimed') {
      // A job back after its worker died may be the last word on a campaign (its recipient sent, or skipped now).
      if (claim.kind === 'skipped' || claim.kind === 'done') await finishIfIdle();
      return claim.kind === 'skipped' ? `skipped: ${claim.reason}` : claim.kind;
    }
    const { recipient } = claim;
    const mail = composeCampaignMail(deps.campaign.content, recipient, deps.links);
    const progress: { stage: 'sending' | 'marked' | 'claim lost' } = { stage: 'sending' };
    try {
      await deps.transport.send(mail, async () => {
        if (!(await markRecipientSent(deps.domain, recipientId, mail.subject, recipient))) {
          progress.stage = 'claim lost';
          throw new Error('another attempt has taken this recipient over');
        }
        progress.stage = 'marked';
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const log = { campaignId, recipientId, jobId: job.id, attempt: job.attemptsMade + 1, reason };
      if (progress.stage === 'claim lost') {
        deps.log.warn(log, 'campaign send abandoned before the end of its message: the recipient was taken over');
        return 'claim lost';
      }
      if (progress.stage === 'marked' && !serverAnswered(error)) {
        // The final dot may have reached the server: resending could be a second copy.
        await confirmRecipientSent(deps.domain.db, recipientId, recipient, reason);
        deps.log.warn(log, 'campaign message marked sent but not confirmed by the mail server; not resending');
        await finishIfIdle();
        return 'sent, unconfirmed';
      }
      const permanent = isPermanentFailure(error) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      let retry = !permanent;
      if (progress.stage === 'marked') {
        // Refused in answer to the final dot: the mark is undone; retried only if it went back to queued.
        retry = (await unmarkRecipientSent(deps.domain.db, recipientId, recipient, permanent ? 'failed' : 'queued', reason)) === 'queued';
      } else if (permanent) {
        await markRecipientFailed(deps.domain.db, recipientId, reason, recipient);
      } else {
        // A refusal for now (4xx) or a failed connection before the message was complete.
        await releaseRecipient(deps.domain.db, recipientId, reason, recipient);
      }
      if (!retry) {
        await finishIfIdle();
        throw new UnrecoverableError(reason);
      }
      // The retry claims it again, under the same Message-ID.
      deps.log.warn(log, 'campaign send failed; will retry');
      throw error;
    }
    await confirmRecipientSent(deps.domain.db, recipientId, recipient);
    await finishIfIdle();
    return 'sent';
  };
}

/** The mail server answered the message with a refusal (as opposed to the connection failing before any answer). */
function serverAnswered(error: unknown): boolean {
  return typeof (error as { responseCode?: unknown } | null)?.responseCode === 'number';
}
