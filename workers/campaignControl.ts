import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { CAMPAIGN_CONTROL_JOBS, type CampaignControlJob, type CampaignControlResult, type CampaignStatsJob } from '../server/campaignQueues';
import { startSending } from '../server/domain/campaignSending';
import { campaignStats } from '../server/domain/campaignStats';
import type { DomainContext } from '../server/domain/context';

/**
 * A campaign's control step: `start` plans it (or continues it after a resume or a crash), `stop`
 * follows a cancel. Its progress (sending has begun) and its result reach every worker process,
 * which opens or closes its worker for the campaign's send queue accordingly.
 */
export function campaignControl(deps: { domain: DomainContext; log: Logger }): (job: Job<CampaignControlJob>) => Promise<CampaignControlResult> {
  return async (job) => {
    const { campaignId } = job.data;
    if (job.name === CAMPAIGN_CONTROL_JOBS.stop) return { campaignId, sending: false };
    // Progress reaches every worker process (QueueEvents) while the rest of the recipients are queued.
    const { sending } = await startSending(deps.domain, campaignId, () => job.updateProgress({ campaignId, sending: true }));
    deps.log.info({ campaignId, jobId: job.id, sending }, 'campaign control step done');
    return { campaignId, sending };
  };
}

/**
 * Pushes a campaign's figures to the consoles; while it has mail to send, asks for the next push a
 * second later (an automation's step is always `sending`, but idle between enrollments).
 */
export function publishCampaignStats(deps: { domain: DomainContext }): (job: Job<CampaignStatsJob>) => Promise<void> {
  return async (job) => {
    const { campaignId } = job.data;
    const [campaign] = await deps.domain.db.query<{ status: string }>('SELECT status FROM campaigns WHERE id = $1', [campaignId]);
    if (!campaign) return;
    const stats = await campaignStats(deps.domain.db, campaignId);
    deps.domain.publish([{ type: 'campaign:stats', campaignId, stats }]);
    if (campaign.status === 'sending' && stats.pending > 0) await deps.domain.queues.campaigns.statsChanged(campaignId);
  };
}
