import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectVisitor } from '../../support/sockets';

const hub = signedInHub({ DEFAULT_PHONE_REGION: 'US', CUSTOMER_ATTRIBUTE_MAX_BYTES: '64' });
afterEach(closeAllSockets);

const { auth, get, post, patch } = hub;
const errorBody = (code: string) => ({ error: expect.objectContaining({ code, message: expect.any(String) }) });
const unique = () => randomUUID().slice(0, 8);

async function rowCounts() {
  const [counts] = await hub.db.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM customer_identities) AS identities`,
  );
  return counts;
}

describe('POST /api/customers', () => {
  it('creates a customer with normalized identities, attributes and tags', async () => {
    const id = unique();
    const response = await post('/api/customers', {
      name: '  Ada Lovelace ',
      email: ` Ada.${id}@Example.COM `,
      phone: '(415) 555-2671',
      externalId: `crm-${id}`,
      attributes: { plan: 'gold', seats: 5 },
      tags: ['VIP', 'vip', ' beta '],
    });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^cus_/),
      name: 'Ada Lovelace',
      email: `ada.${id}@example.com`,
      phone: '+14155552671',
      externalId: `crm-${id}`,
      identities: expect.arrayContaining([
        { kind: 'email', value: `ada.${id}@example.com` },
        { kind: 'phone', value: '+14155552671' },
        { kind: 'external', value: `crm-${id}` },
      ]),
      attributes: { plan: 'gold', seats: 5 },
      tags: ['vip', 'beta'],
      orders: { count: 0, lifetimeValue: '0.00', currency: null, firstOrderAt: null, lastOrderAt: null },
      rfm: null,
      erasedAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await get(`/api/customers/${response.body.id}`)).body).toEqual(response.body);
  });

  it('answers 409 identity_conflict when the email already belongs to someone, and writes nothing', async () => {
    const email = `taken-${unique()}@example.com`;
    const first = await post('/api/customers', { email });
    const before = await rowCounts();

    const response = await post('/api/customers', { email: email.toUpperCase(), phone: '+44 20 7946 0958', name: 'Impostor' });

    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'identity_conflict', details: { customerIds: [first.body.id] } });
    expect(await rowCounts()).toEqual(before);
  });

  it.each([
    ['an invalid email', { email: 'not-an-email' }, 400, 'invalid_email'],
    ['an invalid phone', { phone: '12' }, 400, 'invalid_phone'],
    ['attributes that are an array', { email: 'a1@example.com', attributes: [1, 2] }, 400, 'validation_failed'],
    ['attributes that are a string', { email: 'a2@example.com', attributes: 'plan=gold' }, 400, 'validation_failed'],
    ['an attribute larger than the limit', { email: 'a3@example.com', attributes: { notes: 'x'.repeat(100) } }, 400, 'validation_failed'],
    ['an attribute name with spaces', { email: 'a4@example.com', attributes: { 'my plan': 'gold' } }, 400, 'validation_failed'],
    ['an unknown field', { email: 'a5@example.com', favouriteColour: 'blue' }, 400, 'validation_failed'],
    ['tags that are not strings', { email: 'a6@example.com', tags: [1] }, 400, 'validation_failed'],
    ['a NUL character, which PostgreSQL cannot store', { email: 'a7@example.com', attributes: { note: 'a\u0000b' } }, 400, 'validation_failed'],
  ])('refuses %s and writes nothing', async (_case, body, status, code) => {
    const before = await rowCounts();
    const response = await post('/api/customers', body);
    expect(response.status).toBe(status);
    expect(response.body).toEqual(errorBody(code));
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 400 invalid_json to a body that is not JSON', async () => {
    const response = await request(hub.handler).post('/api/customers').set(auth()).set('content-type', 'application/json').send('{"name":');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('invalid_json'));
  });
});

describe('POST /api/customers/upsert', () => {
  it('creates the customer the first time and updates the same one the second time', async () => {
    const email = `upsert-${unique()}@example.com`;
    const created = await post('/api/customers/upsert', { email, name: 'Grace', attributes: { plan: 'free', city: 'Paris' }, tags: ['trial'] });
    const updated = await post('/api/customers/upsert', { email: email.toUpperCase(), phone: '+33 1 23 45 67 89', attributes: { plan: 'pro', city: null }, tags: ['paying'] });

    expect(created.status).toBe(201);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id: created.body.id,
      name: 'Grace',
      phone: '+33123456789',
      attributes: { plan: 'pro' },
      tags: ['paying'],
    });
  });

  it('answers 409 when the identities belong to two different customers', async () => {
    const a = await post('/api/customers', { email: `a-${unique()}@example.com` });
    const b = await post('/api/customers', { phone: `+1 212 555 ${String(1000 + Math.floor(Math.random() * 8999))}` });

    const response = await post('/api/customers/upsert', { email: a.body.email, phone: b.body.phone, name: 'Both' });

    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('identity_conflict');
    expect(response.body.error.details.customerIds.sort()).toEqual([a.body.id, b.body.id].sort());
    expect((await get(`/api/customers/${a.body.id}`)).body.name).toBeNull();
  });

  it('answers 400 when no identity says which customer is meant', async () => {
    const response = await post('/api/customers/upsert', { name: 'Nobody' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });
});

describe('PATCH /api/customers/:id', () => {
  it('merges attributes (null removes a key), replaces tags, renames and adds identities', async () => {
    const customer = (await post('/api/customers', { email: `p-${unique()}@example.com`, attributes: { a: 1, b: 2 }, tags: ['x'] })).body;

    const response = await patch(`/api/customers/${customer.id}`, { name: 'Renamed', attributes: { b: null, c: { nested: true } }, tags: ['y', 'z'], phone: '212-555-0187' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'Renamed', attributes: { a: 1, c: { nested: true } }, tags: ['y', 'z'], phone: '+12125550187' });
  });

  it('refuses an attribute over the size limit and leaves the customer as it was', async () => {
    const customer = (await post('/api/customers', { email: `big-${unique()}@example.com`, attributes: { a: 1 } })).body;

    const response = await patch(`/api/customers/${customer.id}`, { name: 'Changed', attributes: { a: 2, essay: 'x'.repeat(65) } });

    expect(response.status).toBe(400);
    expect((await get(`/api/customers/${customer.id}`)).body).toMatchObject({ name: null, attributes: { a: 1 } });
  });

  it('answers 404 for an unknown customer', async () => {
    const response = await patch('/api/customers/cus_unknown', { name: 'x' });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(errorBody('customer_not_found'));
  });
});

describe('DELETE /api/customers/:id', () => {
  it('deletes the customer with their conversations, messages and timeline', async () => {
    const { socket, session } = await connectVisitor(hub.url);
    await socket.emitWithAck('message:send', { clientId: randomUUID(), body: 'Please forget me' });

    const response = await request(hub.handler).delete(`/api/customers/${session.customerId}`).set(auth());

    expect(response.status).toBe(204);
    expect((await get(`/api/customers/${session.customerId}`)).status).toBe(404);
    const [left] = await hub.db.query<{ rows: string }>(
      `SELECT ((SELECT count(*) FROM conversations WHERE customer_id = $1) + (SELECT count(*) FROM messages WHERE customer_id = $1)
              + (SELECT count(*) FROM timeline_events WHERE customer_id = $1) + (SELECT count(*) FROM customer_identities WHERE customer_id = $1))::text AS rows`,
      [session.customerId],
    );
    expect(left!.rows).toBe('0');
  });
});

describe('GET /api/customers (search)', () => {
  const tag = `s${unique()}`;
  const people: Record<string, { id: string; email: string }> = {};

  beforeAll(async () => {
    const specs = [
      ['alice', 'Alice Zephyr', { plan: 'gold', seats: 5 }],
      ['bob', 'Bob Quartz', { plan: 'silver', seats: 2 }],
      ['carol', 'Carol Zephyrine', { plan: 'gold', seats: '5' }],
    ] as const;
    for (const [key, name, attributes] of specs) {
      const response = await post('/api/customers', { name, email: `${key}.${tag}@example.com`, attributes, tags: [tag, key === 'bob' ? 'late' : 'early'] });
      people[key] = response.body;
    }
    // Dan never gave a name; what he wrote in the chat is how agents find him.
    const { socket, session } = await connectVisitor(hub.url);
    await socket.emitWithAck('visitor:identify', { email: `dan.${tag}@example.com` });
    await socket.emitWithAck('message:send', { clientId: randomUUID(), body: `My parcel xylophone${tag} never arrived` });
    people.dan = (await patch(`/api/customers/${session.customerId}`, { attributes: { plan: 'free' }, tags: [tag, 'early'] })).body;
  });

  const search = async (query: string) => {
    const response = await get(`/api/customers?tag=${tag}&${query}`);
    expect(response.status).toBe(200);
    return response.body.items.map((customer: { id: string }) => Object.keys(people).find((key) => people[key]!.id === customer.id));
  };

  it('finds by a word of the name, by its prefix, in any case', async () => {
    expect(await search('q=zephyr&sort=name')).toEqual(['alice', 'carol']);
    expect(await search('q=QUAR')).toEqual(['bob']);
  });

  it('finds by words in message bodies', async () => {
    expect(await search(`q=xylophone${tag}`)).toEqual(['dan']);
  });

  it('finds by the start of an email address', async () => {
    expect(await search(`q=carol.${tag}`)).toEqual(['carol']);
  });

  it('filters by name part, exact email, tag, and attributes (numbers match their text too)', async () => {
    expect(await search('name=OB')).toEqual(['bob']);
    expect(await search(`email=ALICE.${tag}@EXAMPLE.COM`)).toEqual(['alice']);
    expect(await search('tag=late')).toEqual(['bob']);
    expect(await search('attr.plan=gold&attr.seats=5&sort=name')).toEqual(['alice', 'carol']);
  });

  it('sorts and pages with a cursor, every customer exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response: request.Response = await get(`/api/customers?tag=${tag}&sort=-name&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...response.body.items.map((customer: { id: string }) => customer.id));
      cursor = response.body.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual([people.carol!.id, people.bob!.id, people.alice!.id, people.dan!.id]);
  });

  it.each([
    ['an unknown sort', 'sort=shoeSize', 'validation_failed'],
    ['an invalid email filter', 'email=nope', 'invalid_email'],
    ['a cursor from another sort', `sort=lifetimeValue&cursor=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'cus_x'])).toString('base64url')}`, 'invalid_cursor'],
  ])('answers 400 to %s', async (_case, query, code) => {
    const response = await get(`/api/customers?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody(code));
  });
});
