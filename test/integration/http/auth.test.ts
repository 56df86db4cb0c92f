import request from 'supertest';
import { ADMIN, startTestHub, type TestHub } from '../../support/hub';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const login = (body: object) => request(hub.handler).post('/api/auth/login').send(body);

const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });

describe('POST /api/auth/login', () => {
  it('answers 200 with a token and the agent when the email and password are right', async () => {
    const response = await login(ADMIN);

    expect(response.status).toBe(200);
    expect(response.type).toBe('application/json');
    expect(response.body).toEqual({
      token: expect.any(String),
      agent: { id: expect.stringMatching(/^agt_/), email: ADMIN.email, name: expect.any(String), role: 'admin', capacity: expect.any(Number) },
    });
  });

  it('never sends the password or its hash back', async () => {
    const response = await login(ADMIN);
    const [row] = await hub.db.query<{ password_hash: string }>('SELECT password_hash FROM agents WHERE email = $1', [ADMIN.email]);

    expect(response.text).not.toContain(row!.password_hash);
    expect(response.text).not.toContain(ADMIN.password);
    expect(response.text).not.toMatch(/password|hash/i);
  });

  it('gives a token that opens the agent API', async () => {
    const { body } = await login(ADMIN);
    const inbox = await request(hub.handler).get('/api/conversations').set('authorization', `Bearer ${body.token}`);
    expect(inbox.status).toBe(200);
  });

  it('matches the email whatever its case and surrounding spaces', async () => {
    const response = await login({ email: `  ${ADMIN.email.toUpperCase()} `, password: ADMIN.password });
    expect(response.status).toBe(200);
    expect(response.body.agent.email).toBe(ADMIN.email);
  });

  it('answers 401 invalid_credentials to a wrong password', async () => {
    const response = await login({ email: ADMIN.email, password: `${ADMIN.password}!` });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(errorBody('invalid_credentials'));
  });

  it('answers an unknown email exactly like a wrong password, so emails cannot be probed', async () => {
    const unknown = await login({ email: 'nobody@example.com', password: ADMIN.password });
    const wrong = await login({ email: ADMIN.email, password: 'wrong-password' });

    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(errorBody('invalid_credentials'));
    expect(unknown.body).toEqual(wrong.body);
  });

  it.each([
    ['no fields', {}],
    ['no password', { email: ADMIN.email }],
    ['no email', { password: ADMIN.password }],
    ['an empty email', { email: '  ', password: ADMIN.password }],
    ['an empty password', { email: ADMIN.email, password: '' }],
    ['a password that is not text', { email: ADMIN.email, password: 12345678 }],
  ])('answers 400 validation_failed to %s', async (_case, body) => {
    const response = await login(body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });

  it.each([
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
  ])('answers 400 validation_failed to %s as the body', async (_case, text) => {
    const response = await request(hub.handler).post('/api/auth/login').set('content-type', 'application/json').send(text);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });

  it('answers 400 validation_failed when there is no body at all', async () => {
    const response = await request(hub.handler).post('/api/auth/login');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('validation_failed'));
  });

  it('answers 400 invalid_json to a body that is not valid JSON', async () => {
    const response = await request(hub.handler)
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send('{"email": "admin@example.com", "password": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('invalid_json'));
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', `email=${encodeURIComponent(ADMIN.email)}&password=${ADMIN.password}`],
    ['plain text', 'text/plain', JSON.stringify(ADMIN)],
  ])('answers 415 unsupported_media_type to %s, even one holding valid credentials', async (_case, type, text) => {
    const response = await request(hub.handler).post('/api/auth/login').set('content-type', type).send(text);
    expect(response.status).toBe(415);
    expect(response.body).toEqual(errorBody('unsupported_media_type'));
  });

  it('accepts application/json with a charset', async () => {
    const response = await request(hub.handler)
      .post('/api/auth/login')
      .set('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(ADMIN));
    expect(response.status).toBe(200);
  });

  it('answers 413 payload_too_large to a body over 1 MB', async () => {
    const body = JSON.stringify({ email: ADMIN.email, password: 'x'.repeat(1024 * 1024) });
    const response = await request(hub.handler).post('/api/auth/login').set('content-type', 'application/json').send(body);
    expect(response.status).toBe(413);
    expect(response.body).toEqual(errorBody('payload_too_large'));
  });

  it('answers 413 payload_too_large to a chunked body over 1 MB, which declares no length', async () => {
    const pending = request(hub.handler).post('/api/auth/login').set('content-type', 'application/json');
    pending.write(`{"email":"${ADMIN.email}","password":"`);
    for (let i = 0; i < 9; i++) pending.write('x'.repeat(128 * 1024));
    pending.write('"}');
    const response = await pending;
    expect(response.status).toBe(413);
    expect(response.body).toEqual(errorBody('payload_too_large'));
  });
});

describe('routes and methods', () => {
  it('answers 404 not_found with a JSON error to an unknown route', async () => {
    const response = await request(hub.handler).get('/api/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.type).toBe('application/json');
    expect(response.body).toEqual(errorBody('not_found'));
  });

  it('answers 404 not_found to an unknown route even with a token-like header', async () => {
    const response = await request(hub.handler).post('/api/auth/no-such-thing').set('authorization', 'Bearer whatever').send({});
    expect(response.status).toBe(404);
    expect(response.body).toEqual(errorBody('not_found'));
  });

  it.each([
    ['DELETE', '/api/auth/login'],
    ['GET', '/api/auth/login'],
    ['PUT', '/healthz'],
  ])('answers 405 method_not_allowed to %s %s, a known route', async (method, path) => {
    const response = await request(hub.handler)[method.toLowerCase() as 'delete' | 'get' | 'put'](path);
    expect(response.status).toBe(405);
    expect(response.type).toBe('application/json');
    expect(response.body).toEqual(errorBody('method_not_allowed'));
  });
});

describe('the Allow header of a 405 (RFC 9110 §15.5.6: the server MUST send one)', () => {
  it('names the methods the route does allow', async () => {
    const response = await request(hub.handler).delete('/api/auth/login');
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });
});
