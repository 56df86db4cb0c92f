import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';
import { login } from '../../support/sockets';

/** Canned responses: every agent reads and searches them; only admins write them. */
const hub = signedInHub({ MESSAGE_MAX_LENGTH: '500' });

let agentToken: string;
beforeAll(async () => {
  const email = `agent-${randomUUID().slice(0, 8)}@example.com`;
  const created = await hub.post('/api/agents', { email, name: 'Plain agent', password: 'agent-password-1', role: 'agent' });
  expect(created.status).toBe(201);
  agentToken = (await login(hub.url, { email, password: 'agent-password-1' })).token;
});

const asAgent = {
  get: (path: string) => request(hub.handler).get(path).set('authorization', `Bearer ${agentToken}`),
  post: (path: string, body: object) => request(hub.handler).post(path).set('authorization', `Bearer ${agentToken}`).send(body),
  patch: (path: string, body: object) => request(hub.handler).patch(path).set('authorization', `Bearer ${agentToken}`).send(body),
  delete: (path: string) => request(hub.handler).delete(path).set('authorization', `Bearer ${agentToken}`),
};
const errorBody = (code: string) => ({ error: expect.objectContaining({ code, message: expect.any(String) }) });
let shortcuts = 0;
const uniqueShortcut = (stem = 'canned') => `${stem}-${++shortcuts}`;

async function createCanned(fields: Partial<{ shortcut: string; title: string; body: string }> = {}) {
  const response = await hub.post('/api/canned-responses', { shortcut: uniqueShortcut(), title: 'A title', body: 'A body', ...fields });
  expect(response.status).toBe(201);
  return response.body as { id: string; shortcut: string; title: string; body: string; createdAt: string; updatedAt: string };
}

const search = async (q: string) => ((await asAgent.get(`/api/canned-responses?q=${encodeURIComponent(q)}`)).body.items as { shortcut: string }[]).map((item) => item.shortcut);

describe('writing canned responses (admins)', () => {
  it('creates one, which every agent then reads', async () => {
    const response = await hub.post('/api/canned-responses', {
      shortcut: 'welcome',
      title: 'Welcome',
      body: 'Hi {{customer.name}}, this is {{agent.name}}. How can I help?',
    });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^cnd_/),
      shortcut: 'welcome',
      title: 'Welcome',
      body: 'Hi {{customer.name}}, this is {{agent.name}}. How can I help?',
      createdAt: expect.any(String),
      updatedAt: response.body.createdAt,
    });
    const listed = await asAgent.get('/api/canned-responses');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(response.body);
  });

  it('changes one, keeping what the patch leaves out', async () => {
    const canned = await createCanned({ title: 'Refunds', body: 'Refunds take five days.' });

    const response = await hub.patch(`/api/canned-responses/${canned.id}`, { body: 'Refunds take three days.' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...canned, body: 'Refunds take three days.', updatedAt: expect.any(String) });
    expect(Date.parse(response.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(canned.updatedAt));
    const renamed = await hub.patch(`/api/canned-responses/${canned.id}`, { shortcut: uniqueShortcut('refund'), title: 'Refund times' });
    expect(renamed.body).toMatchObject({ shortcut: expect.stringMatching(/^refund-/), title: 'Refund times', body: 'Refunds take three days.' });
  });

  it('deletes one', async () => {
    const canned = await createCanned();

    const response = await hub.delete(`/api/canned-responses/${canned.id}`);

    expect(response.status).toBe(204);
    expect((await asAgent.get('/api/canned-responses')).body.items.map((item: { id: string }) => item.id)).not.toContain(canned.id);
    expect((await hub.delete(`/api/canned-responses/${canned.id}`)).body).toEqual(errorBody('not_found'));
  });

  it('answers 404 not_found to a change of one that does not exist', async () => {
    const response = await hub.patch('/api/canned-responses/cnd_missing', { title: 'Nothing' });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(errorBody('not_found'));
  });

  it('answers 409 canned_response_conflict to a shortcut in use, on create and on change', async () => {
    const taken = await createCanned({ shortcut: 'shipping' });
    const other = await createCanned();

    const created = await hub.post('/api/canned-responses', { shortcut: 'shipping', title: 'Again', body: 'Again' });
    const changed = await hub.patch(`/api/canned-responses/${other.id}`, { shortcut: 'shipping' });

    expect(created.status).toBe(409);
    expect(created.body).toEqual({ error: { code: 'canned_response_conflict', message: expect.stringContaining('shipping'), details: { shortcut: 'shipping' } } });
    expect(changed.status).toBe(409);
    expect(changed.body).toEqual(errorBody('canned_response_conflict'));
    expect((await hub.patch(`/api/canned-responses/${taken.id}`, { shortcut: 'shipping' })).status).toBe(200);
  });

  it.each([
    ['an upper-case shortcut', { shortcut: 'Hello', title: 'T', body: 'B' }],
    ['a shortcut with a space', { shortcut: 'hello there', title: 'T', body: 'B' }],
    ['a shortcut over 32 characters', { shortcut: 'x'.repeat(33), title: 'T', body: 'B' }],
    ['an empty shortcut', { shortcut: '', title: 'T', body: 'B' }],
    ['no title', { shortcut: 'no-title', body: 'B' }],
    ['a blank title', { shortcut: 'blank-title', title: '  ', body: 'B' }],
    ['a blank body', { shortcut: 'blank-body', title: 'T', body: ' \n ' }],
    ['a body longer than MESSAGE_MAX_LENGTH', { shortcut: 'long-body', title: 'T', body: 'x'.repeat(501) }],
    ['an unknown field', { shortcut: 'extra', title: 'T', body: 'B', teamId: 'team_1' }],
  ])('answers 400 validation_failed to %s', async (_case, body) => {
    const response = await hub.post('/api/canned-responses', body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });

  it('takes a body of exactly MESSAGE_MAX_LENGTH characters, and refuses a longer one on change too', async () => {
    const canned = await createCanned({ body: 'x'.repeat(500) });
    const response = await hub.patch(`/api/canned-responses/${canned.id}`, { body: 'y'.repeat(501) });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });

  it('answers 403 forbidden to an agent who is not an admin, changing nothing', async () => {
    const canned = await createCanned({ title: 'Kept' });

    const created = await asAgent.post('/api/canned-responses', { shortcut: uniqueShortcut(), title: 'T', body: 'B' });
    const changed = await asAgent.patch(`/api/canned-responses/${canned.id}`, { title: 'Changed' });
    const deleted = await asAgent.delete(`/api/canned-responses/${canned.id}`);

    for (const response of [created, changed, deleted]) {
      expect(response.status).toBe(403);
      expect(response.body).toEqual(errorBody('forbidden'));
    }
    expect((await asAgent.get('/api/canned-responses')).body.items).toContainEqual(canned);
  });

  it('answers 401 unauthorized without a token', async () => {
    expect((await request(hub.handler).get('/api/canned-responses')).status).toBe(401);
    expect((await request(hub.handler).post('/api/canned-responses').send({ shortcut: 'x', title: 'T', body: 'B' })).status).toBe(401);
  });
});

describe('searching canned responses with q', () => {
  beforeAll(async () => {
    await createCanned({ shortcut: 'ship-late', title: 'Late parcel', body: 'Sorry your parcel is late.' });
    await createCanned({ shortcut: 'ship-free', title: 'Free delivery', body: 'Delivery is free over 50 EUR.' });
    await createCanned({ shortcut: 'thanks', title: 'Thank you', body: 'Thanks, we will ship it today (100% sure).' });
    await createCanned({ shortcut: 'discount_code', title: 'Discount', body: '感谢您的耐心' });
  });

  it('matches the start of the shortcut, listing those first, then title and body text', async () => {
    await expect(search('ship')).resolves.toEqual(['ship-free', 'ship-late', 'shipping', 'thanks']);
  });

  it('matches title and body text whatever its case', async () => {
    await expect(search('PARCEL')).resolves.toEqual(['ship-late']);
    await expect(search('free delivery')).resolves.toEqual(['ship-free']);
    await expect(search('耐心')).resolves.toEqual(['discount_code']);
  });

  it('takes the slash the agent typed before the shortcut', async () => {
    await expect(search('/thanks')).resolves.toEqual(['thanks']);
  });

  it('treats % and _ as text, not as patterns', async () => {
    await expect(search('100%')).resolves.toEqual(['thanks']);
    await expect(search('t_')).resolves.toEqual([]);
    await expect(search('discount_')).resolves.toEqual(['discount_code']);
  });

  it('lists every canned response by shortcut for an empty q', async () => {
    const all = await search('');
    expect(all).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(['discount_code', 'ship-free', 'ship-late', 'thanks', 'welcome']));
  });

  it('answers 400 validation_failed to q given twice', async () => {
    const response = await asAgent.get('/api/canned-responses?q=a&q=b');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });
});
