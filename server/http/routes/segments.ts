import type Router from '@koa/router';
import { parseInput } from '../../domain/parseInput';
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  previewSegment,
  segmentInputSchema,
  segmentPatchSchema,
  segmentPreviewSchema,
  updateSegment,
} from '../../domain/segments';
import { requireAdmin, requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';

/** Segments: every agent reads and previews them, admins write them. */
export function segmentRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);
  const adminOnly = requireAdmin('Only admins may change segments');
  const db = deps.domain.db;

  router.get('/api/segments', auth, async (ctx) => {
    ctx.body = { items: await listSegments(db) };
  });

  router.post('/api/segments', auth, adminOnly, jsonBody(), async (ctx) => {
    const input = parseInput(segmentInputSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await createSegment(db, input);
  });

  // Before /:id, so "preview" is not taken for an id.
  router.post('/api/segments/preview', auth, jsonBody(), async (ctx) => {
    const { filter } = parseInput(segmentPreviewSchema, ctx.request.body);
    ctx.body = await previewSegment(db, filter);
  });

  router.get('/api/segments/:id', auth, async (ctx) => {
    ctx.body = await getSegment(db, ctx.params.id!);
  });

  router.get('/api/segments/:id/preview', auth, async (ctx) => {
    ctx.body = await previewSegment(db, (await getSegment(db, ctx.params.id!)).filter);
  });

  router.patch('/api/segments/:id', auth, adminOnly, jsonBody(), async (ctx) => {
    const patch = parseInput(segmentPatchSchema, ctx.request.body);
    ctx.body = await updateSegment(db, ctx.params.id!, patch);
  });

  router.delete('/api/segments/:id', auth, adminOnly, async (ctx) => {
    await deleteSegment(db, ctx.params.id!);
    ctx.status = 204;
  });
}
