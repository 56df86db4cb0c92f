import { createHmac } from 'node:crypto';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { issueAgentToken } from '../../../server/domain/agentTokens';
import { ADMIN, startTestHub, type TestHub } from '../../support/hub';
import { TEST_REDIS_URL } from '../../support/postgres';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, login, nextEvent } from '../../support/sockets';

/** Signing in, finding out who you are, and signing out (which closes that session's consoles). */
const hub = signedInHub();
let redis: Redis;
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(() => redis.disconnect());
afterEach(closeAllSockets);

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const me = (token: string) => request(hub.handler).get('/api/auth/me').set(as(token));
const logout = (token: string) => request(hub.handler).post('/api/auth/logout').set(as(token));
const freshToken = async () => (await login(hub.url)).token;
const unauthorized = { error: { code: 'unauthorized', message: expect.any(String) } };

/** The connect_error of an /agents socket opened with this token (fails the test if it connects). */
async function refusedAtConnect(token: string): Promise<unknown> {
  const socket = io(`${hub.url}/agents`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    const error = await new Promise<Error & { data?: unknown }>((resolve, reject) => {
      socket.once('connect_error', resolve);
      socket.once('connect', () => reject(new Error('connected with a token that should be refused')));
    });
    return error.data;
  } finally {
    socket.close();
  }
}

const disconnection = (socket: Socket) => nextEvent<string>(socket, 'disconnect');

describe('GET /api/auth/me', () => {
  it('answers the agent the token belongs to and their teams, with their role in each', async () => {
    const support = await hub.post('/api/teams', { name: 'Support desk' });
    const billing = await hub.post('/api/teams', { name: 'Billing desk' });
    await hub.put(`/api/teams/${support.body.id}/members`, { members: [{ agentId: hub.agentId, role: 'supervisor' }] });
    await hub.put(`/api/teams/${billing.body.id}/members`, { members: [{ agentId: hub.agentId, role: 'member' }] });

    const response = await me(hub.token);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      agent: { id: hub.agentId, email: ADMIN.email, name: 'Administrator', role: 'admin', capacity: expect.any(Number) },
      teams: [
        { id: billing.body.id, name: 'Billing desk', role: 'member' },
        { id: support.body.id, name: 'Support desk', role: 'supervisor' },
      ],
    });
  });

  it('answers an agent in no team with no teams', async () => {
    const email = 'loner@example.com';
    await hub.post('/api/agents', { email, name: 'Lone agent', password: 'lone-password-1', role: 'agent' });
    const { token } = await login(hub.url, { email, password: 'lone-password-1' });

    const response = await me(token);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ agent: expect.objectContaining({ email, role: 'agent' }), teams: [] });
  });

  it('answers 401 unauthorized without a token', async () => {
    const response = await request(hub.handler).get('/api/auth/me');
    expect(response.status).toBe(401);
    expect(response.body).toEqual(unauthorized);
  });
});

describe('POST /api/auth/logout', () => {
  it('answers 204, after which the token is refused everywhere while other sessions go on', async () => {
    const token = await freshToken();
    const other = await freshToken();

    const response = await logout(token);

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    const after = await me(token);
    expect(after.status).toBe(401);
    expect(after.body).toEqual(unauthorized);
    expect(after.headers['www-authenticate']).toBe('Bearer');
    expect((await request(hub.handler).get('/api/conversations').set(as(token))).status).toBe(401);
    expect((await logout(token)).status).toBe(401);
    expect((await me(other)).status).toBe(200);
  });

  it("disconnects the consoles opened with the token, and only those, and refuses the token's next connect", async () => {
    const token = await freshToken();
    const other = await freshToken();
    const tabs = [await connectAgent(hub.url, token), await connectAgent(hub.url, token)];
    const otherConsole = await connectAgent(hub.url, other);
    const closed = tabs.map(disconnection);

    expect((await logout(token)).status).toBe(204);

    // "io server disconnect": the hub hung up on purpose, so the console does not reconnect.
    await expect(Promise.all(closed)).resolves.toEqual(['io server disconnect', 'io server disconnect']);
    await expect(refusedAtConnect(token)).resolves.toMatchObject({ code: 'unauthorized' });
    expect(otherConsole.connected).toBe(true);
    await expect(otherConsole.emitWithAck('agent:status', { status: 'available' })).resolves.toEqual({ ok: true, status: 'available' });
  });

  it('remembers the revocation in Redis for as long as the token would have lived', async () => {
    const token = await freshToken();
    const before = await redis.keys(`${hub.config.redisPrefix}:revoked-token:*`);

    await logout(token);

    const added = (await redis.keys(`${hub.config.redisPrefix}:revoked-token:*`)).filter((key) => !before.includes(key));
    expect(added).toHaveLength(1);
    const ttl = await redis.pttl(added[0]!);
    expect(ttl).toBeGreaterThan(11.9 * 3600 * 1000);
    expect(ttl).toBeLessThanOrEqual(12 * 3600 * 1000);
  });

  it('signs out a token issued before tokens carried an id, which stays valid until then', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ sub: hub.agentId, exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
    const token = `${header}.${claims}.${createHmac('sha256', hub.config.secretKey).update(`${header}.${claims}`).digest('base64url')}`;
    expect((await me(token)).status).toBe(200);
    const console = await connectAgent(hub.url, token);
    const closed = disconnection(console);

    expect((await logout(token)).status).toBe(204);

    await expect(closed).resolves.toBe('io server disconnect');
    expect((await me(token)).status).toBe(401);
    await expect(refusedAtConnect(token)).resolves.toMatchObject({ code: 'unauthorized' });
  });

  it('answers 401 unauthorized without a token', async () => {
    const response = await request(hub.handler).post('/api/auth/logout');
    expect(response.status).toBe(401);
    expect(response.body).toEqual(unauthorized);
  });
});

describe('signing out with several server processes', () => {
  let other: TestHub;
  beforeAll(async () => {
    other = await startTestHub({ DATABASE_URL: hub.config.databaseUrl, REDIS_PREFIX: hub.config.redisPrefix, SECRET_KEY: hub.config.secretKey });
  });
  afterAll(() => other.stop());

  it('disconnects the consoles the token opened on another server, which then refuses it too', async () => {
    const token = await freshToken();
    const elsewhere = await connectAgent(other.url, token);
    const closed = disconnection(elsewhere);

    expect((await logout(token)).status).toBe(204);

    await expect(closed).resolves.toBe('io server disconnect');
    expect((await request(other.handler).get('/api/auth/me').set(as(token))).status).toBe(401);
  });
});

describe('an expired token', () => {
  const expired = () => issueAgentToken(hub.config.secretKey, hub.agentId, new Date(Date.now() - 12 * 3600 * 1000 - 1000));

  it('gets 401 unauthorized over HTTP', async () => {
    const response = await me(expired());
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: 'unauthorized', message: 'The agent token has expired' } });
  });

  it('is refused at socket connect with unauthorized', async () => {
    await expect(refusedAtConnect(expired())).resolves.toEqual({ code: 'unauthorized', message: 'The agent token has expired' });
  });

  it('cannot sign out', async () => {
    expect((await logout(expired())).status).toBe(401);
  });
});
