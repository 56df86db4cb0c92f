import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN } from '../../support/hub';
import { type HubProcess, startHubProcess, stopHubProcess } from '../../support/processes';
import { closeAllSockets, connectAgent, connectVisitor, login, nextEvent } from '../../support/sockets';

jest.setTimeout(120_000);

// No DATABASE_URL and no REDIS_URL: what `npm install && npm start` gives a newcomer.
let dataDir: string;
let hub: HubProcess | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'hub-emb-'));
});
afterEach(closeAllSockets);
afterAll(async () => {
  if (hub) await stopHubProcess(hub);
  rmSync(dataDir, { recursive: true, force: true });
});

const start = async () => {
  hub = await startHubProcess({ DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
  return hub;
};

describe('the embedded default (PGlite and a private redis-server under DATA_DIR)', () => {
  let visitorId: string;
  let sentId: string;

  it('serves /healthz and /readyz and takes a widget message to an agent', async () => {
    const { url } = await start();
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({ checks: { database: 'ok', redis: 'ok' } });
    expect(existsSync(path.join(dataDir, 'secret-key'))).toBe(true);

    const { token } = await login(url);
    const agent = await connectAgent(url, token);
    const { socket: visitor, session } = await connectVisitor(url);
    const clientId = randomUUID();
    const atAgent = nextEvent(agent, 'message:new', (message) => message.clientId === clientId);
    const ack = await visitor.emitWithAck('message:send', { clientId, body: 'Hello from a fresh install' });
    expect(ack.ok).toBe(true);
    expect(await atAgent).toEqual(ack.message);
    visitorId = session.visitorId;
    sentId = ack.message.id;
  });

  it('drains on SIGTERM, exits 0 and stops its redis-server', async () => {
    expect(await stopHubProcess(hub!)).toBe(0);
    hub = undefined;
    expect(existsSync(path.join(dataDir, 'redis', 'redis.sock'))).toBe(false);
  });

  it('keeps the data across a restart', async () => {
    const { url } = await start();
    const { socket, session } = await connectVisitor(url, visitorId);
    expect(session.visitorId).toBe(visitorId);
    const history = await socket.emitWithAck('messages:since', {});
    expect(history.messages.map((message: { id: string }) => message.id)).toEqual([sentId]);
  });
});
