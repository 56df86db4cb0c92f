import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createAgent } from '../../../server/domain/agents';
import { startTestHub, type TestHub } from '../../support/hub';
import { login } from '../../support/sockets';
import { uniqueEmail, uniqueIp } from './fixtures';

let hub: TestHub;
let admin: string;
let agent: string;

beforeAll(async () => {
  hub = await startTestHub();
  ({ token: admin } = await login(hub.url));
  const credentials = { email: 'agent.forms@example.com', password: 'agent-password-123' };
  await createAgent(hub.db, { ...credentials, name: 'Plain Agent', role: 'agent' });
  ({ token: agent } = await login(hub.url, credentials));
});
afterAll(() => hub.stop());

const as = (token: string) => {
  const auth = { authorization: `Bearer ${token}` };
  return {
    get: (path: string) => request(hub.handler).get(path).set(auth),
    post: (path: string, body: object) => request(hub.handler).post(path).set(auth).send(body),
    patch: (path: string, body: object) => request(hub.handler).patch(path).set(auth).send(body),
    delete: (path: string) => request(hub.handler).delete(path).set(auth),
  };
};
const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });
const uniqueKey = () => `form-${randomBytes(5).toString('hex')}`;
const validForm = () => ({ key: uniqueKey(), name: 'Contact', fieldMap: { email: 'email', message: 'message' } });

describe('form configuration', () => {
  it('lets an admin create, read, list, change and delete a form', async () => {
    const key = uniqueKey();

    const created = await as(admin).post('/api/forms', {
      key,
      name: 'Quote request',
      allowedOrigins: ['https://Shop.Example.com/', '*'],
      fieldMap: { name: 'full_name', email: 'email', phone: 'tel', message: 'details', subject: 'product' },
      opensConversation: false,
      redirectUrl: 'https://shop.example.com/thanks',
      honeypotField: 'website',
    });

    expect(created.status).toBe(201);
    const form = created.body;
    expect(form).toEqual({
      id: expect.stringMatching(/^frm_/),
      key,
      name: 'Quote request',
      allowedOrigins: ['https://shop.example.com', '*'],
      fieldMap: { name: 'full_name', email: 'email', phone: 'tel', message: 'details', subject: 'product' },
      opensConversation: false,
      redirectUrl: 'https://shop.example.com/thanks',
      honeypotField: 'website',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await as(admin).get(`/api/forms/${form.key}`)).body).toEqual(form);
    expect((await as(agent).get('/api/forms')).body.items).toContainEqual(form);

    const changed = await as(admin).patch(`/api/forms/${form.key}`, { name: 'Quotes', redirectUrl: null, opensConversation: true });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...form, name: 'Quotes', redirectUrl: null, opensConversation: true, updatedAt: expect.any(String) });

    expect((await as(admin).delete(`/api/forms/${form.key}`)).status).toBe(204);
    expect((await as(admin).get(`/api/forms/${form.key}`)).body).toEqual(errorBody('form_not_found'));
    expect((await request(hub.handler).post(`/api/forms/${key}`).send({ email: uniqueEmail('gone') })).status).toBe(404);
  });

  it('fills in the defaults: no origins, a conversation per submission, no redirect, no honeypot', async () => {
    const response = await as(admin).post('/api/forms', validForm());

    expect(response.body).toMatchObject({ allowedOrigins: [], opensConversation: true, redirectUrl: null, honeypotField: null });
  });

  it('lets any agent read forms but only admins change them (403)', async () => {
    const form = (await as(admin).post('/api/forms', validForm())).body;

    expect((await as(agent).get(`/api/forms/${form.key}`)).status).toBe(200);
    expect((await as(agent).get(`/api/forms/${form.key}/submissions`)).status).toBe(200);
    const refused = [
      await as(agent).post('/api/forms', validForm()),
      await as(agent).patch(`/api/forms/${form.key}`, { name: 'Mine now' }),
      await as(agent).delete(`/api/forms/${form.key}`),
    ];
    expect(refused.map((response) => [response.status, response.body])).toEqual(Array(3).fill([403, errorBody('forbidden')]));
    expect((await as(admin).get(`/api/forms/${form.key}`)).body.name).toBe('Contact');
  });

  it('requires a token', async () => {
    expect((await request(hub.handler).get('/api/forms')).status).toBe(401);
  });

  it('refuses a key another form has with 409 form_key_taken, on create and on change', async () => {
    const taken = (await as(admin).post('/api/forms', validForm())).body;
    const other = (await as(admin).post('/api/forms', validForm())).body;

    const created = await as(admin).post('/api/forms', { ...validForm(), key: taken.key });
    const changed = await as(admin).patch(`/api/forms/${other.key}`, { key: taken.key });

    expect([created.status, created.body]).toEqual([409, errorBody('form_key_taken')]);
    expect([changed.status, changed.body]).toEqual([409, errorBody('form_key_taken')]);
    expect((await as(admin).get(`/api/forms/${other.key}`)).body.key).toBe(other.key);
  });

  it.each([
    ['a key too short', { key: 'ab' }],
    ['a key with capitals', { key: 'Contact-Form' }],
    ['a key with a slash', { key: 'a/b/c' }],
    ['a redirect that is not http(s)', { redirectUrl: 'javascript:alert(1)' }],
    ['a redirect that is not a URL', { redirectUrl: 'thanks.html' }],
    ['an origin with a path', { allowedOrigins: ['https://shop.example.com/contact'] }],
    ['an origin that is a bare host', { allowedOrigins: ['shop.example.com'] }],
    ['a field map naming an unknown part', { fieldMap: { email: 'email', address: 'street' } }],
    ['a field map value that is not a field name', { fieldMap: { email: '' } }],
    ['a field map naming neither email nor phone', { fieldMap: { name: 'name', message: 'message' } }],
    ['a honeypot that is a mapped field', { honeypotField: 'email' }],
    ['an unknown property', { color: 'blue' }],
  ])('refuses %s with 400', async (_case, change) => {
    const response = await as(admin).post('/api/forms', { ...validForm(), ...change });

    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });

  it('refuses a change that would leave the form invalid, changing nothing', async () => {
    const form = (await as(admin).post('/api/forms', validForm())).body;

    const response = await as(admin).patch(`/api/forms/${form.key}`, { fieldMap: { message: 'message' } });

    expect(response.status).toBe(400);
    expect((await as(admin).get(`/api/forms/${form.key}`)).body).toEqual(form);
  });

  it('answers 404 for an unknown form id', async () => {
    expect((await as(admin).patch('/api/forms/frm_missing', { name: 'x' })).body).toEqual(errorBody('form_not_found'));
    expect((await as(admin).delete('/api/forms/frm_missing')).status).toBe(404);
    expect((await as(admin).get('/api/forms/frm_missing/submissions')).status).toBe(404);
  });
});

describe('GET /api/forms/:id/submissions', () => {
  it("pages through a form's submissions, newest first", async () => {
    const form = (await as(admin).post('/api/forms', validForm())).body;
    const sent: string[] = [];
    for (const label of ['one', 'two', 'three']) {
      const response = await request(hub.handler).post(`/api/forms/${form.key}`).set('x-forwarded-for', uniqueIp()).set('user-agent', 'FormTest/1.0').send({ email: uniqueEmail(label), message: label });
      sent.push(response.body.submissionId);
    }

    const first = await as(agent).get(`/api/forms/${form.key}/submissions?limit=2`);
    const second = await as(agent).get(`/api/forms/${form.key}/submissions?limit=2&cursor=${first.body.nextCursor}`);

    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([sent[2], sent[1]]);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: sent[0] })], nextCursor: null });
    expect(second.body.items[0]).toEqual({
      id: sent[0],
      formId: form.id,
      customerId: expect.stringMatching(/^cus_/),
      conversationId: expect.stringMatching(/^cnv_/),
      messageId: expect.stringMatching(/^msg_/),
      fields: { email: expect.stringMatching(/^one\./), message: 'one' },
      origin: null,
      ip: expect.stringMatching(/^10\./),
      userAgent: 'FormTest/1.0',
      createdAt: expect.any(String),
    });
  });

  it('keeps the submissions with their customer when the form is deleted', async () => {
    const form = (await as(admin).post('/api/forms', validForm())).body;
    const email = uniqueEmail('kept');
    const submitted = await request(hub.handler).post(`/api/forms/${form.key}`).set('x-forwarded-for', uniqueIp()).send({ email, message: 'Keep me' });

    await as(admin).delete(`/api/forms/${form.key}`);

    const timeline = await as(admin).get(`/api/customers/${submitted.body.customerId}/timeline?kind=form.submitted`);
    expect(timeline.body.items).toEqual([expect.objectContaining({ reference: submitted.body.submissionId })]);
    const [row] = await hub.db.query<{ form_id: string | null }>('SELECT form_id FROM form_submissions WHERE id = $1', [submitted.body.submissionId]);
    expect(row).toEqual({ form_id: null });
  });
});
