import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Agent } from '../../domain/agents';
import { customerCreated } from '../../domain/automationTriggers';
import { getMerge, listMergesInto, mergeCustomers } from '../../domain/customerMerge';
import { eraseCustomer, exportCustomer } from '../../domain/customerPrivacy';
import { createCustomer, customerInputSchema, deleteCustomer, getCustomer, updateCustomer } from '../../domain/customers';
import { customerSearchSchema, searchCustomers } from '../../domain/customerSearch';
import { addNote, listNotes, noteRequest } from '../../domain/notes';
import { parseInput } from '../../domain/parseInput';
import { listTimeline } from '../../domain/timeline';
import { requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';
import { eraseRequest, mergeRequest, pageQuery, timelineQuery } from '../schemas';

const ATTRIBUTE_FILTER = /^attr\.(.+)$/;

export function customerRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);
  const { db } = deps.domain;
  const { settings } = deps.domain;
  const agentOf = (ctx: Context) => ctx.state.agent as Agent;

  router.get('/api/customers', auth, async (ctx) => {
    const attributes = Object.fromEntries(
      Object.entries(ctx.query).flatMap(([name, value]) => {
        const key = ATTRIBUTE_FILTER.exec(name)?.[1];
        return key && typeof value === 'string' ? [[key, value]] : [];
      }),
    );
    ctx.body = await searchCustomers(db, settings, { ...parseInput(customerSearchSchema, ctx.query), attributes });
  });

  router.post('/api/customers', auth, jsonBody(), async (ctx) => {
    const { customer } = await createCustomer(db, settings, parseInput(customerInputSchema, ctx.request.body), 'create');
    await customerCreated(deps.domain, customer.id);
    ctx.status = 201;
    ctx.body = customer;
  });

  router.post('/api/customers/upsert', auth, jsonBody(), async (ctx) => {
    const { customer, created } = await createCustomer(db, settings, parseInput(customerInputSchema, ctx.request.body), 'upsert');
    if (created) await customerCreated(deps.domain, customer.id);
    ctx.status = created ? 201 : 200;
    ctx.body = customer;
  });

  router.get('/api/customers/:id', auth, async (ctx) => {
    ctx.body = await getCustomer(db, ctx.params.id!);
  });

  router.patch('/api/customers/:id', auth, jsonBody(), async (ctx) => {
    ctx.body = await updateCustomer(db, settings, ctx.params.id!, parseInput(customerInputSchema, ctx.request.body));
  });

  router.delete('/api/customers/:id', auth, async (ctx) => {
    await deleteCustomer(db, ctx.params.id!);
    ctx.status = 204;
  });

  router.get('/api/customers/:id/timeline', auth, async (ctx) => {
    const { cursor, limit, kind, from, to, order } = parseInput(timelineQuery, ctx.query);
    const customer = await getCustomer(db, ctx.params.id!);
    ctx.body = await listTimeline(db, customer.id, { cursor, limit }, {
      kinds: kind,
      from: from ? new Date(from) : undefined,
      to: to ? new Date(to) : undefined,
      order,
    });
  });

  router.get('/api/customers/:id/notes', auth, async (ctx) => {
    const { cursor, limit } = parseInput(pageQuery, ctx.query);
    const customer = await getCustomer(db, ctx.params.id!);
    ctx.body = await listNotes(db, { customerId: customer.id }, { cursor, limit });
  });

  router.post('/api/customers/:id/notes', auth, jsonBody(), async (ctx) => {
    const { body } = parseInput(noteRequest, ctx.request.body);
    ctx.status = 201;
    ctx.body = await addNote(deps.domain, { customerId: ctx.params.id!, agentId: agentOf(ctx).id, body });
  });

  router.post('/api/customers/:id/merge', auth, jsonBody(), async (ctx) => {
    const { sourceId, reason } = parseInput(mergeRequest, ctx.request.body);
    ctx.body = await mergeCustomers(deps.domain, { targetId: ctx.params.id!, sourceId, agentId: agentOf(ctx).id, reason });
  });

  router.get('/api/customers/:id/merges', auth, async (ctx) => {
    const customer = await getCustomer(db, ctx.params.id!);
    ctx.body = { items: await listMergesInto(db, customer.id) };
  });

  router.get('/api/customer-merges/:id', auth, async (ctx) => {
    ctx.body = await getMerge(db, ctx.params.id!);
  });

  router.post('/api/customers/:id/erase', auth, jsonBody(), async (ctx) => {
    const { reason } = parseInput(eraseRequest, ctx.request.body ?? {});
    ctx.body = await eraseCustomer(deps.domain, { customerId: ctx.params.id!, agentId: agentOf(ctx).id, reason });
  });

  router.get('/api/customers/:id/export', auth, async (ctx) => {
    const document = await exportCustomer(db, ctx.params.id!);
    ctx.set('Content-Disposition', `attachment; filename="customer-${ctx.params.id}.json"`);
    ctx.body = document;
  });
}
