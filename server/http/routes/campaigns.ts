import type Router from '@koa/router';
import { campaignTestMailer } from '../../channels/email/campaignTestMail';
import { splitAddress } from '../../channels/email/addresses';
import type { Agent } from '../../domain/agents';
import { campaignPreviewSchema, previewCampaign, testSendCampaign, testSendSchema } from '../../domain/campaignPreview';
import {
  campaignInputSchema,
  campaignListQuery,
  campaignPatchSchema,
  type CampaignRules,
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  updateCampaign,
} from '../../domain/campaigns';
import { parseInput } from '../../domain/parseInput';
import { requireAdmin, requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';

/** Campaign drafts, their preview and test send; the state actions and stats live with sending. */
export function campaignRoutes(router: Router, deps: HttpDeps, publicUrl: string): void {
  const auth = requireAgent(deps);
  const adminOnly = requireAdmin('Only admins may change or send campaigns');
  const db = deps.domain.db;
  const rules: CampaignRules = { smtpAccounts: Object.keys(deps.email.campaignAccounts) };
  const sendTestMail = campaignTestMailer(deps.email.campaignAccounts, deps.dataDir);
  const messageIdDomain = splitAddress(deps.email.supportAddresses[0]!).domain;

  router.get('/api/campaigns', auth, async (ctx) => {
    ctx.body = await listCampaigns(db, parseInput(campaignListQuery, ctx.query));
  });

  router.post('/api/campaigns', auth, adminOnly, jsonBody(), async (ctx) => {
    const input = parseInput(campaignInputSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await createCampaign(db, rules, input, (ctx.state.agent as Agent).id);
  });

  // Before /:id, so "preview" is not taken for an id.
  router.post('/api/campaigns/preview', auth, jsonBody(), async (ctx) => {
    ctx.body = await previewCampaign(db, parseInput(campaignPreviewSchema, ctx.request.body), { publicUrl });
  });

  router.get('/api/campaigns/:id', auth, async (ctx) => {
    ctx.body = await getCampaign(db, ctx.params.id!);
  });

  router.patch('/api/campaigns/:id', auth, adminOnly, jsonBody(), async (ctx) => {
    ctx.body = await updateCampaign(db, rules, ctx.params.id!, parseInput(campaignPatchSchema, ctx.request.body));
  });

  router.delete('/api/campaigns/:id', auth, adminOnly, async (ctx) => {
    await deleteCampaign(db, ctx.params.id!);
    ctx.status = 204;
  });

  router.post('/api/campaigns/:id/test-send', auth, adminOnly, jsonBody(), async (ctx) => {
    const input = parseInput(testSendSchema, ctx.request.body);
    ctx.body = await testSendCampaign(db, ctx.params.id!, input, { publicUrl, messageIdDomain, send: sendTestMail });
  });
}
