import { signedInHub } from '../../support/signedInHub';
import { contactedSupport, createCustomer, daysAgo, errorBody, placeOrder, plainAgent } from './fixtures';

/**
 * Segments against real customers: every field and operator of the filter language on one known
 * set of people, the SQL compiled with bound parameters only. No workers run, so nothing but the
 * test changes intents, RFM segments or the timeline.
 */
const hub = signedInHub({}, { workers: false });

// Live customers by name; eve (erased) and frank (merged into ada) must never match anything.
const ids: Record<string, string> = {};
const nameOf = (id: string) => Object.keys(ids).find((name) => ids[name] === id) ?? id;

beforeAll(async () => {
  ids.ada = await createCustomer(hub, {
    name: 'Ada Lovelace',
    email: 'ada@analytical.io',
    phone: '+442079460958',
    tags: ['VIP', 'newsletter'],
    attributes: { plan: 'pro', seats: 5, trialEndsAt: '2030-01-01' },
  });
  ids.bob = await createCustomer(hub, { name: 'Bob Stone', email: 'bob@example.com', tags: ['newsletter'], attributes: { plan: 'free', seats: '12', trialEndsAt: '2020-05-01' } });
  // Values that are not numbers or dates must not break a numeric or date comparison.
  ids.cy = await createCustomer(hub, { name: 'Cy Young', phone: '+12025550143', attributes: { plan: 'n/a', seats: 'n/a', trialEndsAt: '2024-02-30' } });
  ids.dee = await createCustomer(hub, { email: 'dee@analytical.io' });
  ids.gus = await createCustomer(hub, { name: 'Gus Grey', email: 'gus@example.com', attributes: { vip: true } });
  const eve = await createCustomer(hub, { name: 'Eve Gone', email: 'eve@example.com', tags: ['vip'], attributes: { plan: 'pro' } });
  const frank = await createCustomer(hub, { name: 'Frank Merged', email: 'frank@elsewhere.net', tags: ['vip'] });

  await placeOrder(hub, ids.ada, 10, '19.90');
  await placeOrder(hub, ids.ada, 30, '100.00');
  await placeOrder(hub, ids.ada, 200, '9.95');
  await placeOrder(hub, ids.bob, 120, '9.95');
  await placeOrder(hub, ids.gus, 100, '5.00');

  await contactedSupport(hub, { kind: 'email', value: 'ada@analytical.io' }, 5, 'get_invoice');
  await contactedSupport(hub, { kind: 'email', value: 'bob@example.com' }, 40, 'payment_issue');
  await contactedSupport(hub, { kind: 'phone', value: '+12025550143' }, 2, 'track_order');
  await contactedSupport(hub, { kind: 'email', value: 'gus@example.com' }, 3, 'check_invoice');

  await hub.db.query("UPDATE customers SET created_at = now() - interval '400 days', rfm_segment = 'Champions' WHERE id = $1", [ids.dee]);
  expect((await hub.post(`/api/customers/${eve}/erase`, { reason: 'asked' })).status).toBe(200);
  expect((await hub.post(`/api/customers/${ids.ada}/merge`, { sourceId: frank })).status).toBe(200);
});

/** Who the filter matches, by name, through the preview endpoint (the sample holds all of them here). */
async function matching(filter: unknown): Promise<string[]> {
  const response = await hub.post('/api/segments/preview', { filter });
  expect(response.status).toBe(200);
  expect(response.body.count).toBe(response.body.sample.length);
  return (response.body.sample as { id: string }[]).map((customer) => nameOf(customer.id)).sort();
}

const cases = (field: string, table: [op: string, value: unknown, expected: string[]][]) =>
  it.each(table)(`${field} %s %j`, async (op, value, expected) => {
    expect(await matching({ field, op, value })).toEqual(expected);
  });

describe('segment filters on real customers', () => {
  it('never include erased or merged-away customers', async () => {
    expect(await matching({ all: [] })).toEqual(['ada', 'bob', 'cy', 'dee', 'gus']);
    expect(await matching({ field: 'tag', op: 'eq', value: 'vip' })).toEqual(['ada']);
  });

  describe('name', () => cases('name', [
    ['eq', 'ada lovelace', ['ada']],
    ['neq', 'Ada Lovelace', ['bob', 'cy', 'dee', 'gus']],
    ['in', ['Bob Stone', 'cy young'], ['bob', 'cy']],
    ['contains', 'O', ['ada', 'bob', 'cy']],
    ['contains', '%', []],
    ['startsWith', 'g', ['gus']],
    ['exists', undefined, ['ada', 'bob', 'cy', 'gus']],
    ['notExists', undefined, ['dee']],
  ]));

  describe('email (any of the customer\'s addresses)', () => cases('email', [
    ['exists', undefined, ['ada', 'bob', 'dee', 'gus']],
    ['notExists', undefined, ['cy']],
    ['eq', 'ADA@Analytical.io', ['ada']],
    ['eq', 'frank@elsewhere.net', ['ada']],
    ['neq', 'bob@example.com', ['ada', 'cy', 'dee', 'gus']],
    ['in', ['bob@example.com', 'gus@example.com'], ['bob', 'gus']],
    ['contains', 'EXAMPLE', ['bob', 'gus']],
    ['startsWith', 'dee', ['dee']],
    ['domain', 'analytical.io', ['ada', 'dee']],
    ['domain', ['@example.com'], ['bob', 'gus']],
  ]));

  describe('phone', () => cases('phone', [
    ['exists', undefined, ['ada', 'cy']],
    ['notExists', undefined, ['bob', 'dee', 'gus']],
    ['eq', '+1 202 555 0143', ['cy']],
    ['in', ['+442079460958'], ['ada']],
    ['startsWith', '+44', ['ada']],
    ['contains', '555', ['cy']],
  ]));

  describe('tag', () => cases('tag', [
    ['eq', 'VIP', ['ada']],
    ['neq', 'vip', ['bob', 'cy', 'dee', 'gus']],
    ['in', ['newsletter', 'nope'], ['ada', 'bob']],
    ['exists', undefined, ['ada', 'bob']],
    ['notExists', undefined, ['cy', 'dee', 'gus']],
  ]));

  describe('attr.plan (text)', () => cases('attr.plan', [
    ['eq', 'pro', ['ada']],
    ['neq', 'pro', ['bob', 'cy', 'dee', 'gus']],
    ['in', ['pro', 'free'], ['ada', 'bob']],
    ['contains', 'RE', ['bob']],
    ['startsWith', 'n/', ['cy']],
    ['exists', undefined, ['ada', 'bob', 'cy']],
    ['notExists', undefined, ['dee', 'gus']],
  ]));

  describe('attr.seats (numbers, and numbers written as text)', () => cases('attr.seats', [
    ['eq', 5, ['ada']],
    ['eq', '12', ['bob']],
    ['neq', 5, ['bob', 'cy', 'dee', 'gus']],
    ['in', [5, 12], ['ada', 'bob']],
    ['gt', 4, ['ada', 'bob']],
    ['gte', 12, ['bob']],
    ['lt', 10, ['ada']],
    ['lte', '5', ['ada']],
  ]));

  describe('attr.trialEndsAt (dates; "2024-02-30" is no date)', () => cases('attr.trialEndsAt', [
    ['after', '2025-01-01', ['ada']],
    ['before', '2025-01-01T00:00:00Z', ['bob']],
    ['olderThanDays', 365, ['bob']],
    ['withinDays', 36500, ['ada', 'bob']],
    ['exists', undefined, ['ada', 'bob', 'cy']],
  ]));

  describe('attr.vip (booleans)', () => cases('attr.vip', [
    ['eq', true, ['gus']],
    ['neq', true, ['ada', 'bob', 'cy', 'dee']],
  ]));

  describe('orders.count', () => cases('orders.count', [
    ['eq', 3, ['ada']],
    ['neq', 0, ['ada', 'bob', 'gus']],
    ['in', [1, 3], ['ada', 'bob', 'gus']],
    ['gt', 1, ['ada']],
    ['gte', 1, ['ada', 'bob', 'gus']],
    ['lt', 1, ['cy', 'dee']],
    ['lte', 1, ['bob', 'cy', 'dee', 'gus']],
  ]));

  describe('orders.lifetimeValue', () => cases('orders.lifetimeValue', [
    ['eq', '129.85', ['ada']],
    ['gt', 100, ['ada']],
    ['gte', 9.95, ['ada', 'bob']],
    ['lt', '9.95', ['cy', 'dee', 'gus']],
    ['lte', '9.95', ['bob', 'cy', 'dee', 'gus']],
  ]));

  describe('orders.lastAt', () => cases('orders.lastAt', [
    ['withinDays', 30, ['ada']],
    ['olderThanDays', 90, ['bob', 'gus']],
    ['before', daysAgo(110), ['bob']],
    ['after', daysAgo(60), ['ada']],
    ['exists', undefined, ['ada', 'bob', 'gus']],
    ['notExists', undefined, ['cy', 'dee']],
  ]));

  describe('orders.firstAt', () => cases('orders.firstAt', [
    ['olderThanDays', 150, ['ada']],
    ['after', daysAgo(150), ['bob', 'gus']],
  ]));

  describe('createdAt', () => cases('createdAt', [
    ['olderThanDays', 365, ['dee']],
    ['withinDays', 30, ['ada', 'bob', 'cy', 'gus']],
    ['before', daysAgo(300).slice(0, 10), ['dee']],
    ['after', daysAgo(300), ['ada', 'bob', 'cy', 'gus']],
  ]));

  describe('rfm.segment', () => cases('rfm.segment', [
    ['eq', 'champions', ['dee']],
    ['neq', 'Champions', ['ada', 'bob', 'cy', 'gus']],
    ['in', ['Champions', 'Lost'], ['dee']],
    ['exists', undefined, ['dee']],
    ['notExists', undefined, ['ada', 'bob', 'cy', 'gus']],
  ]));

  describe('intent (any conversation ever)', () => cases('intent', [
    ['eq', 'billing', ['ada', 'bob', 'gus']],
    ['eq', 'track_order', ['cy']],
    ['in', ['get_invoice', 'track_order'], ['ada', 'cy']],
    ['neq', 'billing', ['cy', 'dee']],
    ['exists', undefined, ['ada', 'bob', 'cy', 'gus']],
    ['notExists', undefined, ['dee']],
  ]));

  describe('activity on the timeline', () => cases('activity', [
    ['within', { kind: 'message.received', days: 30, intent: 'billing' }, ['ada', 'gus']],
    ['within', { kind: 'message', days: 30 }, ['ada', 'cy', 'gus']],
    ['within', { kind: 'conversation.opened', days: 30, intent: 'billing' }, ['ada', 'gus']],
    ['within', { kind: 'message.received', days: 7, intent: ['track_order'] }, ['cy']],
    ['within', { kind: 'order.placed', days: 15 }, ['ada']],
    ['notWithin', { kind: 'order.placed', days: 90 }, ['bob', 'cy', 'dee', 'gus']],
    ['notWithin', { kind: 'message.received', days: 30, intent: 'billing' }, ['bob', 'cy', 'dee']],
  ]));

  it('combine with all, any and not: "asked about billing in the last 30 days and no order in 90 days"', async () => {
    const billingNoOrder = {
      all: [
        { field: 'activity', op: 'within', value: { kind: 'message.received', days: 30, intent: 'billing' } },
        { field: 'activity', op: 'notWithin', value: { kind: 'order.placed', days: 90 } },
      ],
    };
    expect(await matching(billingNoOrder)).toEqual(['gus']);
    const vipOrChampion = { any: [{ field: 'tag', op: 'eq', value: 'vip' }, { field: 'rfm.segment', op: 'eq', value: 'Champions' }] };
    expect(await matching(vipOrChampion)).toEqual(['ada', 'dee']);
    expect(await matching({ not: vipOrChampion })).toEqual(['bob', 'cy', 'gus']);
    expect(await matching({ any: [] })).toEqual([]);
  });
});

describe('SQL injection attempts', () => {
  const hostile = ["x'; DROP TABLE customers; --", "' OR '1'='1", '%', '\\', "'); DELETE FROM segments; --", '$1'];

  it('are plain values: they match nothing and change nothing', async () => {
    for (const value of hostile) {
      for (const field of ['name', 'attr.plan', 'tag', 'email']) {
        const op = field === 'email' ? 'contains' : 'eq';
        expect(await matching({ field, op, value })).toEqual([]);
      }
      expect(await matching({ field: 'name', op: 'neq', value })).toEqual(['ada', 'bob', 'cy', 'dee', 'gus']);
      expect(await matching({ field: 'email', op: 'domain', value })).toEqual([]);
    }
    expect(await matching({ all: [] })).toHaveLength(5);
  });

  it('with a NUL character are refused before they reach the database', async () => {
    const response = await hub.post('/api/segments/preview', { filter: { field: 'name', op: 'eq', value: 'pro\u0000' } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });

  it('in attribute keys are refused, never spliced into SQL', async () => {
    for (const key of ["plan' OR '1'='1", 'plan"; DROP TABLE customers; --', 'plan)) OR ((1=1', '__proto__.x']) {
      const response = await hub.post('/api/segments/preview', { filter: { field: `attr.${key}`, op: 'exists' } });
      expect(response.status).toBe(400);
      expect(response.body).toEqual(errorBody('invalid_segment'));
      expect(response.body.error.details).toEqual({ path: 'filter.field' });
    }
    expect(await matching({ all: [] })).toHaveLength(5);
  });

  it('in a saved segment are stored and read back as data', async () => {
    const filter = { any: [{ field: 'name', op: 'eq', value: hostile[0] }, { field: 'attr.plan', op: 'in', value: hostile.slice(0, 3) }] };
    const created = await hub.post('/api/segments', { name: hostile[4], filter });
    expect(created.status).toBe(201);
    expect(created.body.filter).toEqual(filter);
    const preview = await hub.get(`/api/segments/${created.body.id}/preview`);
    expect(preview.body).toEqual({ count: 0, sample: [] });
    expect((await hub.delete(`/api/segments/${created.body.id}`)).status).toBe(204);
  });
});

describe('bad segment filters', () => {
  it.each([
    [{ field: 'shoeSize', op: 'eq', value: 42 }, 'filter.field'],
    [{ all: [{ field: 'name', op: 'eq', value: 'x' }, { field: 'orders.count', op: 'startsWith', value: '1' }] }, 'filter.all.1.op'],
    [{ field: 'orders.count', op: 'gt', value: 'lots' }, 'filter.value'],
    [{ field: 'createdAt', op: 'before', value: 'yesterday' }, 'filter.value'],
    [{ field: 'activity', op: 'within', value: { kind: 'message.received', days: -1 } }, 'filter.value.days'],
    [{ field: 'activity', op: 'within', value: { kind: 'order.placed', days: 5, intent: 'billing' } }, 'filter.value.intent'],
    [{ field: 'intent', op: 'eq', value: 'world_peace' }, 'filter.value'],
    [{ any: [{ not: { field: 'tag', op: 'in', value: [] } }] }, 'filter.any.0.not.value'],
    [{ field: 'rfm.segment', op: 'eq', value: 'Royalty' }, 'filter.value'],
    ['everyone', 'filter'],
  ])('%j is 400 invalid_segment at %s, on preview and on save', async (filter, path) => {
    const preview = await hub.post('/api/segments/preview', { filter });
    expect(preview.status).toBe(400);
    expect(preview.body).toEqual(errorBody('invalid_segment'));
    expect(preview.body.error.details).toEqual({ path });
    const saved = await hub.post('/api/segments', { name: 'Bad', filter });
    expect(saved.status).toBe(400);
    expect(saved.body.error.details).toEqual({ path });
    expect(await hub.db.query("SELECT 1 FROM segments WHERE name = 'Bad'")).toHaveLength(0);
  });

  it('a body without a filter is refused too', async () => {
    const response = await hub.post('/api/segments', { name: 'No filter' });
    expect(response.body).toEqual(errorBody('invalid_segment'));
    expect(response.body.error.details).toEqual({ path: 'filter' });
  });
});

describe('segments API', () => {
  const billingFilter = { field: 'intent', op: 'eq', value: 'billing' };

  it('creates, reads, lists, edits and deletes a segment', async () => {
    const created = await hub.post('/api/segments', { name: '  Billing askers ', filter: billingFilter });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^seg_/),
      name: 'Billing askers',
      filter: billingFilter,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.id as string;
    expect((await hub.get(`/api/segments/${id}`)).body).toEqual(created.body);
    expect((await hub.get('/api/segments')).body.items).toContainEqual(created.body);

    const preview = await hub.get(`/api/segments/${id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.count).toBe(3);
    expect(preview.body.sample[0]).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String), orders: expect.any(Object) }));

    const renamed = await hub.patch(`/api/segments/${id}`, { name: 'Billing, lately', filter: { field: 'activity', op: 'within', value: { kind: 'message.received', days: 30, intent: 'billing' } } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Billing, lately');
    expect((await hub.get(`/api/segments/${id}/preview`)).body.count).toBe(2);
    expect((await hub.patch(`/api/segments/${id}`, { filter: { field: 'nope', op: 'eq', value: 1 } })).status).toBe(400);
    expect((await hub.get(`/api/segments/${id}`)).body.name).toBe('Billing, lately');

    expect((await hub.delete(`/api/segments/${id}`)).status).toBe(204);
    expect((await hub.get(`/api/segments/${id}`)).body).toEqual(errorBody('segment_not_found'));
    expect((await hub.delete(`/api/segments/${id}`)).status).toBe(404);
  });

  it('keeps names unique, any case', async () => {
    expect((await hub.post('/api/segments', { name: 'Everyone', filter: { all: [] } })).status).toBe(201);
    const again = await hub.post('/api/segments', { name: 'EVERYONE', filter: { all: [] } });
    expect(again.status).toBe(409);
    expect(again.body).toEqual(errorBody('segment_name_taken'));
  });

  it('samples at most 20 customers, newest first, with the full count', async () => {
    for (let i = 0; i < 21; i++) await createCustomer(hub, { name: `Bulk ${i}`, tags: ['bulk'] });
    const preview = await hub.post('/api/segments/preview', { filter: { field: 'tag', op: 'eq', value: 'bulk' } });
    expect(preview.body.count).toBe(21);
    expect(preview.body.sample).toHaveLength(20);
    expect(preview.body.sample[0].name).toBe('Bulk 20');
  });

  it('refuses to delete a segment a campaign uses', async () => {
    const segment = (await hub.post('/api/segments', { name: 'In use', filter: { all: [] } })).body;
    const campaign = await hub.post('/api/campaigns', { name: 'Uses it', segmentId: segment.id, from: { email: 'news@example.com' } });
    expect(campaign.status).toBe(201);
    const refused = await hub.delete(`/api/segments/${segment.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual(errorBody('segment_in_use'));
    expect(refused.body.error.details).toEqual({ campaignId: campaign.body.id });
  });

  it('lets every agent read and preview, and only admins write', async () => {
    const agent = await plainAgent(hub);
    const segment = (await hub.post('/api/segments', { name: 'Readable', filter: { all: [] } })).body;
    expect((await agent.get('/api/segments')).status).toBe(200);
    expect((await agent.get(`/api/segments/${segment.id}/preview`)).status).toBe(200);
    expect((await agent.post('/api/segments/preview', { filter: { all: [] } })).status).toBe(200);
    for (const response of [
      await agent.post('/api/segments', { name: 'Mine', filter: { all: [] } }),
      await agent.patch(`/api/segments/${segment.id}`, { name: 'Mine' }),
      await agent.delete(`/api/segments/${segment.id}`),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body).toEqual(errorBody('forbidden'));
    }
  });
});
