import type Router from '@koa/router';
import { cancelCampaign, pauseCampaign, resumeCampaign, scheduleCampaign, scheduleRequest } from '../../domain/campaignSending';
import { campaignStats, listRecipients, recipientListQuery } from '../../domain/campaignStats';
import { HubError } from '../../domain/errors';
import { parseInput } from '../../domain/parseInput';
import { listSuppressions, removeSuppression, suppressAddress, suppressionInputSchema, suppressionListQuery } from '../../domain/suppressions';
import { requireAdmin, requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';

/** Sending a campaign (schedule, pause, resume, cancel), its figures and recipients, and the suppression list. */
export function campaignSendingRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);
  const adminOnly = requireAdmin('Only admins may send campaigns or change the suppression list');
  const { domain } = deps;
  const existing = async (campaignId: string) => {
    const [row] = await domain.db.query('SELECT id FROM campaigns WHERE id = $1', [campaignId]);
    if (!row) throw new HubError('campaign_not_found', `No campaign ${campaignId}`);
  };

  router.post('/api/campaigns/:id/schedule', auth, adminOnly, jsonBody(), async (ctx) => {
    const input = parseInput(scheduleRequest, ctx.request.body ?? {});
    ctx.body = await scheduleCampaign(domain, ctx.params.id!, input, { smtpAccounts: Object.keys(deps.email.campaignAccounts) });
  });
  router.post('/api/campaigns/:id/pause', auth, adminOnly, async (ctx) => {
    ctx.body = await pauseCampaign(domain, ctx.params.id!);
  });
  router.post('/api/campaigns/:id/resume', auth, adminOnly, async (ctx) => {
    ctx.body = await resumeCampaign(domain, ctx.params.id!);
  });
  router.post('/api/campaigns/:id/cancel', auth, adminOnly, async (ctx) => {
    ctx.body = await cancelCampaign(domain, ctx.params.id!);
  });

  router.get('/api/campaigns/:id/stats', auth, async (ctx) => {
    await existing(ctx.params.id!);
    ctx.body = await campaignStats(domain.db, ctx.params.id!);
  });
  router.get('/api/campaigns/:id/recipients', auth, async (ctx) => {
    const query = parseInput(recipientListQuery, ctx.query);
    await existing(ctx.params.id!);
    ctx.body = await listRecipients(domain.db, ctx.params.id!, query);
  });

  router.get('/api/suppressions', auth, async (ctx) => {
    ctx.body = await listSuppressions(domain.db, parseInput(suppressionListQuery, ctx.query));
  });
  router.post('/api/suppressions', auth, adminOnly, jsonBody(), async (ctx) => {
    const input = parseInput(suppressionInputSchema, ctx.request.body);
    const { suppression, created } = await suppressAddress(domain.db, input);
    ctx.status = created ? 201 : 200;
    ctx.body = suppression;
  });
  router.delete('/api/suppressions/:email', auth, adminOnly, async (ctx) => {
    await removeSuppression(domain.db, ctx.params.email!);
    ctx.status = 204;
  });
}
