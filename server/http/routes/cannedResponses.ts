import type Router from '@koa/router';
import {
  cannedResponseInputSchema,
  cannedResponsePatchSchema,
  cannedResponseQuery,
  createCannedResponse,
  deleteCannedResponse,
  listCannedResponses,
  updateCannedResponse,
} from '../../domain/cannedResponses';
import { parseInput } from '../../domain/parseInput';
import { requireAdmin, requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';

/** Canned responses: every agent reads them, admins write them. */
export function cannedResponseRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);
  const adminOnly = requireAdmin('Only admins may change canned responses');

  router.get('/api/canned-responses', auth, async (ctx) => {
    const { q } = parseInput(cannedResponseQuery, ctx.query);
    ctx.body = { items: await listCannedResponses(deps.domain.db, q) };
  });

  router.post('/api/canned-responses', auth, adminOnly, jsonBody(), async (ctx) => {
    const input = parseInput(cannedResponseInputSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await createCannedResponse(deps.domain, input);
  });

  router.patch('/api/canned-responses/:id', auth, adminOnly, jsonBody(), async (ctx) => {
    const patch = parseInput(cannedResponsePatchSchema, ctx.request.body);
    ctx.body = await updateCannedResponse(deps.domain, ctx.params.id!, patch);
  });

  router.delete('/api/canned-responses/:id', auth, adminOnly, async (ctx) => {
    await deleteCannedResponse(deps.domain.db, ctx.params.id!);
    ctx.status = 204;
  });
}
