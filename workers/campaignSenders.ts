import { Queue, QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CAMPAIGN_QUEUES, type CampaignControlResult, type CampaignSendJob, campaignSendQueue } from '../server/campaignQueues';
import { DEFAULT_SMTP_ACCOUNT } from '../server/campaignSmtpAccounts';
import { type CampaignTransport, createCampaignTransport } from '../server/channels/email/campaignTransport';
import type { Config } from '../server/config';
import { getCampaign } from '../server/domain/campaigns';
import { SURVEY_URL_VARIABLE } from '../server/domain/automationSurvey';
import { parseCampaignTemplate, type TemplateField } from '../server/domain/campaignTemplates';
import type { DomainContext } from '../server/domain/context';
import { bullPrefix } from '../server/queues';
import { sendLimiter } from './campaignRateLimit';
import { type SendingCampaign, sendCampaignMessage } from './campaignSend';

type Running = { worker: Worker<CampaignSendJob>; queue: Queue<CampaignSendJob> };

export type CampaignSendersDeps = {
  domain: DomainContext;
  log: Logger;
  connection: Redis;
  config: Pick<Config, 'redisPrefix' | 'publicUrl' | 'secretKey' | 'dataDir' | 'campaigns'> & { email: Pick<Config['email'], 'campaignAccounts'> };
};

const ACTIVE = ['sending', 'paused'];
// Saving checked which variables each campaign may use; a survey step of an automation also has {{surveyUrl}}.
const parse = (source: string, field: TemplateField) => parseCampaignTemplate(source, field, { extraVariables: [SURVEY_URL_VARIABLE] });

/**
 * Keeps, in this worker process, one BullMQ worker per campaign that is sending or paused: opened
 * for those found at start and whenever a control step says a campaign sends, closed when one says
 * it stopped or when its queue runs dry and the campaign is over. Transports are per SMTP account
 * and shared by its campaigns, so the account's connection pool is the process's.
 */
export async function startCampaignSenders(deps: CampaignSendersDeps): Promise<{ close: () => Promise<void> }> {
  const { config, log } = deps;
  const prefix = bullPrefix(config.redisPrefix);
  const running = new Map<string, Promise<Running | undefined>>();
  const transports = new Map<string, CampaignTransport>();
  const limiter = sendLimiter(deps.connection, config.redisPrefix);
  let closing = false;

  const transportFor = (name: string) => {
    let transport = transports.get(name);
    if (!transport) {
      transport = createCampaignTransport(config.email.campaignAccounts[name]!, config.dataDir);
      transports.set(name, transport);
    }
    return transport;
  };

  const sendingCampaign = async (campaignId: string): Promise<SendingCampaign | undefined> => {
    const campaign = await getCampaign(deps.domain.db, campaignId).catch(() => undefined);
    if (!campaign || !ACTIVE.includes(campaign.status)) return undefined;
    const name = campaign.smtpAccount ?? DEFAULT_SMTP_ACCOUNT;
    const account = config.email.campaignAccounts[name];
    if (!account) {
      log.error({ campaignId, smtpAccount: name }, 'campaign names an SMTP account that is not configured; not sending it');
      return undefined;
    }
    return {
      content: {
        id: campaign.id,
        from: campaign.from,
        subject: parse(campaign.subject, 'subject'),
        html: campaign.html ? parse(campaign.html, 'html') : null,
        text: campaign.text ? parse(campaign.text, 'text') : null,
      },
      account: { name, ...account },
      ratePerHour: campaign.ratePerHour ?? null,
      messageIdDomain: campaign.from.email.split('@')[1] ?? 'localhost',
    };
  };

  const open = (campaignId: string) => {
    if (closing || running.has(campaignId)) return;
    const opened = (async (): Promise<Running | undefined> => {
      const campaign = await sendingCampaign(campaignId);
      if (!campaign) return undefined;
      const name = campaignSendQueue(campaignId);
      const queue = new Queue<CampaignSendJob>(name, { connection: deps.connection, prefix });
      const process = sendCampaignMessage({
        domain: deps.domain,
        log,
        links: { publicUrl: config.publicUrl, secretKey: config.secretKey },
        leaseMs: config.campaigns.leaseMs,
        campaign,
        transport: transportFor(campaign.account.name),
        takeSlot: limiter.take,
        queue,
      });
      const worker = new Worker<CampaignSendJob>(name, process, {
        connection: deps.connection,
        prefix,
        concurrency: config.campaigns.sendConcurrency,
        // A dead worker's jobs come back within about one lease; a live one renews its locks.
        lockDuration: config.campaigns.leaseMs,
        stalledInterval: Math.max(500, Math.floor(config.campaigns.leaseMs / 2)),
        maxStalledCount: 5,
      });
      worker.on('failed', (job, error) => log.warn({ campaignId, jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'campaign send job failed'));
      worker.on('error', (error) => log.error({ err: error, campaignId }, 'campaign send worker error'));
      worker.on('drained', () => {
        void stopIfOver(campaignId);
      });
      await worker.waitUntilReady();
      log.info({ campaignId, smtpAccount: campaign.account.name }, 'sending campaign');
      return { worker, queue };
    })().catch((error: unknown) => {
      log.error({ err: error, campaignId }, 'could not start sending a campaign');
      running.delete(campaignId);
      return undefined;
    });
    running.set(campaignId, opened);
  };

  const stop = async (campaignId: string) => {
    const opened = running.get(campaignId);
    running.delete(campaignId);
    const sender = await opened;
    if (!sender) return;
    await sender.worker.close();
    await sender.queue.close();
  };

  const stopIfOver = async (campaignId: string) => {
    const [row] = await deps.domain.db.query<{ status: string }>('SELECT status FROM campaigns WHERE id = $1', [campaignId]);
    if (!row || !ACTIVE.includes(row.status)) await stop(campaignId);
  };

  // Listening first, then looking: a campaign that starts in between is caught by one or the other.
  const eventsConnection = deps.connection.duplicate();
  const control = new QueueEvents(CAMPAIGN_QUEUES.control, { connection: eventsConnection, prefix });
  const heard = (value: unknown) => {
    const result = (typeof value === 'string' ? JSON.parse(value) : value) as Partial<CampaignControlResult> | null;
    if (typeof result?.campaignId !== 'string') return;
    if (result.sending) open(result.campaignId);
    else void stop(result.campaignId);
  };
  control.on('progress', ({ data }) => heard(data));
  control.on('completed', ({ returnvalue }) => heard(returnvalue));
  control.on('error', (error) => log.warn({ err: error }, 'campaign control events error'));
  await control.waitUntilReady();
  const active = await deps.domain.db.query<{ id: string }>("SELECT id FROM campaigns WHERE status IN ('sending', 'paused')");
  for (const { id } of active) open(id);

  return {
    close: async () => {
      closing = true;
      await control.close();
      await Promise.all([...running.keys()].map(stop));
      for (const transport of transports.values()) transport.close();
      eventsConnection.disconnect();
    },
  };
}
