import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Agent } from '../../domain/agents';
import {
  type AutomationDefaults,
  automationInputSchema,
  automationListQuery,
  automationPatchSchema,
  createAutomation,
  deleteAutomation,
  getAutomation,
  listAutomations,
  updateAutomation,
} from '../../domain/automations';
import { answerSurvey } from '../../domain/automationSurvey';
import { parseInput } from '../../domain/parseInput';
import { requireAdmin, requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';
import { notFound, page } from './campaignTracking';

/** Automated campaigns (agents read, admins write), and the public survey page of their mail. */
export function automationRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);
  const adminOnly = requireAdmin('Only admins may change automations');
  const { domain } = deps;
  const defaults: AutomationDefaults = { from: { email: deps.email.supportAddresses[0]!, name: deps.email.fromName } };
  const agentId = (ctx: Context) => (ctx.state.agent as Agent).id;

  router.get('/api/automations', auth, async (ctx) => {
    ctx.body = await listAutomations(domain.db, parseInput(automationListQuery, ctx.query));
  });
  router.post('/api/automations', auth, adminOnly, jsonBody(), async (ctx) => {
    const input = parseInput(automationInputSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await createAutomation(domain, defaults, input, agentId(ctx));
  });
  router.get('/api/automations/:id', auth, async (ctx) => {
    ctx.body = await getAutomation(domain.db, ctx.params.id!);
  });
  router.patch('/api/automations/:id', auth, adminOnly, jsonBody(), async (ctx) => {
    ctx.body = await updateAutomation(domain, defaults, ctx.params.id!, parseInput(automationPatchSchema, ctx.request.body), agentId(ctx));
  });
  router.delete('/api/automations/:id', auth, adminOnly, async (ctx) => {
    await deleteAutomation(domain, ctx.params.id!);
    ctx.status = 204;
  });

  // The satisfaction survey after a resolved conversation: `?rating=1..5` records it as the
  // conversation's CSAT. A HEAD (link checkers) only looks; without a rating the page offers them.
  router.get('/s/:token', async (ctx) => {
    const given = typeof ctx.query.rating === 'string' ? ctx.query.rating : undefined;
    const rating = given !== undefined && /^[1-5]$/.test(given) ? Number(given) : undefined;
    const answer = await answerSurvey(domain, deps.secretKey, ctx.params.token!, ctx.method === 'HEAD' ? undefined : rating);
    if (answer.kind === 'invalid') return notFound(ctx);
    if (answer.kind === 'rated') return page(ctx, 200, 'Thank you', `<p>Thank you for rating us ${answer.rating} out of 5.</p>`);
    if (answer.kind === 'already') return page(ctx, 200, 'Thank you', `<p>This conversation was already rated ${answer.rating} out of 5; that rating stands.</p>`);
    if (answer.kind === 'reopened') return page(ctx, 409, 'Not rated', '<p>This conversation was reopened; you can rate it once it is resolved again.</p>');
    const choices = [1, 2, 3, 4, 5].map((value) => `<a href="?rating=${value}">${value}</a>`).join(' ');
    const unreadable = given !== undefined && rating === undefined;
    page(ctx, unreadable ? 400 : 200, 'How did we do?', `<p>Rate your conversation from 1 (poor) to 5 (excellent):</p><p>${choices}</p>`);
  });
}
