import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ADMIN } from '../../support/hub';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase, uniqueRedisPrefix } from '../../support/postgres';
import { type HubProcess, startHubProcess, stopHubProcess } from '../../support/processes';
import { closeAllSockets, connectAgent, connectVisitor, login, nextEvent } from '../../support/sockets';

jest.setTimeout(90_000);

let database: TestDatabase;
let dataDir: string;
let servers: HubProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'hub-two-'));
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: uniqueRedisPrefix(),
    SECRET_KEY: randomUUID() + randomUUID(),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    DATA_DIR: dataDir,
  };
  // Started together: both migrate and seed the admin at once, which the advisory lock must make safe.
  servers = await Promise.all([startHubProcess(env), startHubProcess(env)]);
});

afterAll(async () => {
  closeAllSockets();
  await Promise.all(servers.map(stopHubProcess));
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('delivers across two server processes that share PostgreSQL and Redis', async () => {
  const [serverA, serverB] = servers as [HubProcess, HubProcess];
  const { token } = await login(serverB.url);
  const agent = await connectAgent(serverB.url, token);
  const { socket: visitor } = await connectVisitor(serverA.url);
  const clientId = randomUUID();

  const atAgent = nextEvent(agent, 'message:new', (message) => message.clientId === clientId);
  const sent = await visitor.emitWithAck('message:send', { clientId, body: 'Sent to server A' });
  expect(sent.ok).toBe(true);
  expect(await atAgent).toEqual(sent.message);

  const atVisitor = nextEvent(visitor, 'message:new', (message) => message.direction === 'outbound');
  const reply = await agent.emitWithAck('message:send', {
    conversationId: sent.message.conversationId,
    clientId: randomUUID(),
    body: 'Answered from server B',
  });
  expect(reply.ok).toBe(true);
  expect(await atVisitor).toEqual(reply.message);
});

it('drains and exits 0 on SIGTERM', async () => {
  closeAllSockets();
  expect(await Promise.all(servers.map(stopHubProcess))).toEqual([0, 0]);
});
