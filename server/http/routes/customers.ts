import type Router from '@koa/router';
import { getCustomer } from '../../domain/customers';
import { parseInput } from '../../domain/parseInput';
import { listTimeline } from '../../domain/timeline';
import { requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { pageQuery } from '../schemas';

export function customerRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);

  router.get('/api/customers/:id', auth, async (ctx) => {
    ctx.body = await getCustomer(deps.domain.db, ctx.params.id!);
  });

  router.get('/api/customers/:id/timeline', auth, async (ctx) => {
    const { cursor, limit } = parseInput(pageQuery, ctx.query);
    const customer = await getCustomer(deps.domain.db, ctx.params.id!);
    ctx.body = await listTimeline(deps.domain.db, customer.id, { cursor, limit });
  });
}
