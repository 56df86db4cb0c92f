import type Router from '@koa/router';
import { z } from 'zod';
import { getCustomer } from '../../domain/customers';
import { orderInputSchema } from '../../domain/orderInput';
import { importOrders, orderImportSchema, validateOrderImport } from '../../domain/orderImport';
import { getOrder, listCustomerOrders, placeOrder } from '../../domain/orders';
import { parseInput } from '../../domain/parseInput';
import { requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';
import { pageQuery } from '../schemas';

/** 10,000 orders of a few items each take a few MB of JSON. */
const IMPORT_LIMIT_BYTES = 32 * 1024 * 1024;

export const orderImportQuery = z.object({
  dryRun: z.enum(['true', 'false']).default('false').describe('true: check every row and say what is wrong, write nothing'),
});

export function orderRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);
  const { db } = deps.domain;

  router.post('/api/customers/:id/orders', auth, jsonBody(), async (ctx) => {
    const result = await placeOrder(deps.domain, ctx.params.id!, parseInput(orderInputSchema, ctx.request.body));
    ctx.status = result.created ? 201 : 200;
    ctx.body = result;
  });

  router.get('/api/customers/:id/orders', auth, async (ctx) => {
    const { cursor, limit } = parseInput(pageQuery, ctx.query);
    const customer = await getCustomer(db, ctx.params.id!);
    ctx.body = await listCustomerOrders(db, customer.id, { cursor, limit });
  });

  router.get('/api/orders/:id', auth, async (ctx) => {
    ctx.body = await getOrder(db, ctx.params.id!);
  });

  router.post('/api/orders/import', auth, jsonBody(IMPORT_LIMIT_BYTES), async (ctx) => {
    const { dryRun } = parseInput(orderImportQuery, ctx.query);
    const { orders } = parseInput(orderImportSchema, ctx.request.body);
    if (dryRun === 'true') {
      ctx.body = await validateOrderImport(deps.domain, orders);
      return;
    }
    ctx.body = await importOrders(deps.domain, orders);
  });
}
