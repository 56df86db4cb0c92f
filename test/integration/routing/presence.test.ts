import { type Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { bullPrefix, QUEUE_NAMES, ROUTE_JOBS } from '../../../server/queues';
import { presenceReader, serverPresence } from '../../../server/realtime/presence';
import { TEST_REDIS_URL } from '../../support/postgres';
import { signedInHub } from '../../support/signedInHub';
import { closeAllSockets, connectAgent, nextEvent } from '../../support/sockets';
import { newAgent, newConversation, newCustomer, newTeam, onlineAgent, routeAndWait, WAIT_MS } from './fixtures';

/** Who is online and available: counted from the /agents sockets in Redis, shared by every process. */
const hub = signedInHub({ AGENT_OFFLINE_GRACE_MS: '1500' });
let redis: Redis;
let routeQueue: Queue;
let routeEvents: QueueEvents;

beforeAll(async () => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = bullPrefix(hub.config.redisPrefix);
  routeQueue = new Queue(QUEUE_NAMES.route, { connection: redis, prefix });
  routeEvents = new QueueEvents(QUEUE_NAMES.route, { connection: { url: TEST_REDIS_URL }, prefix });
  await routeEvents.waitUntilReady();
});
afterAll(async () => {
  await routeEvents.close();
  await routeQueue.close();
  redis.disconnect();
});
afterEach(closeAllSockets);

type Presence = { agentId: string; online: boolean; status: string };
const presenceOf = (socket: Awaited<ReturnType<typeof connectAgent>>, agentId: string, accept: (presence: Presence) => boolean = () => true) =>
  nextEvent<Presence>(socket, 'agent:presence', (presence) => presence.agentId === agentId && accept(presence), WAIT_MS);
const listed = async (agentId: string) => (await hub.get('/api/agents')).body.items.find((agent: { id: string }) => agent.id === agentId);

describe('agents coming and going', () => {
  it('tells every console when an agent comes online and goes offline, and lists them so', async () => {
    const watcher = await connectAgent(hub.url, hub.token);
    const agent = await newAgent(hub);
    const online = presenceOf(watcher, agent.id);
    const console = await connectAgent(hub.url, agent.token);
    await expect(online).resolves.toEqual({ agentId: agent.id, online: true, status: 'available' });
    await expect(listed(agent.id)).resolves.toMatchObject({ online: true, status: 'available', load: 0 });

    const offline = presenceOf(watcher, agent.id);
    console.close();
    await expect(offline).resolves.toEqual({ agentId: agent.id, online: false, status: 'available' });
    await expect(listed(agent.id)).resolves.toMatchObject({ online: false });
  });

  it('sets the status with agent:status, tells every console, and makes a returning agent available again', async () => {
    const watcher = await connectAgent(hub.url, hub.token);
    const agent = await onlineAgent(hub);
    const away = presenceOf(watcher, agent.id);
    await expect(agent.console.emitWithAck('agent:status', { status: 'away' })).resolves.toEqual({ ok: true, status: 'away' });
    await expect(away).resolves.toEqual({ agentId: agent.id, online: true, status: 'away' });
    await expect(listed(agent.id)).resolves.toMatchObject({ online: true, status: 'away' });

    const offline = presenceOf(watcher, agent.id, (presence) => !presence.online);
    agent.console.close();
    await offline;
    const back = presenceOf(watcher, agent.id);
    await connectAgent(hub.url, agent.token);
    await expect(back).resolves.toEqual({ agentId: agent.id, online: true, status: 'available' });
  });

  it('refuses a status that is not available or away', async () => {
    const agent = await onlineAgent(hub);
    for (const payload of [{ status: 'busy' }, {}, 'away']) {
      await expect(agent.console.emitWithAck('agent:status', payload)).resolves.toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    }
    await expect(listed(agent.id)).resolves.toMatchObject({ status: 'available' });
  });

  it('shows each agent their load', async () => {
    const watcher = await connectAgent(hub.url, hub.token);
    const agent = await onlineAgent(hub, { capacity: 3 });
    await newTeam(hub, { strategy: 'least_loaded', intents: ['complaint'] }, [agent]);
    await routeAndWait(hub, watcher, await newConversation(hub.db, await newCustomer(hub.db), { intent: 'complaint' }));
    await expect(listed(agent.id)).resolves.toMatchObject({ capacity: 3, load: 1, teamIds: [expect.any(String)] });
  });

  it('keeps the conversations of an agent who comes back within the grace period', async () => {
    const watcher = await connectAgent(hub.url, hub.token);
    const agent = await onlineAgent(hub);
    await newTeam(hub, { strategy: 'least_loaded', intents: ['contact_human_agent'] }, [agent]);
    const conversationId = await newConversation(hub.db, await newCustomer(hub.db), { intent: 'contact_human_agent' });
    await expect(routeAndWait(hub, watcher, conversationId)).resolves.toMatchObject({ assigneeId: agent.id });

    const offline = presenceOf(watcher, agent.id, (presence) => !presence.online);
    agent.console.close();
    await offline;
    await connectAgent(hub.url, agent.token);
    const jobs = (await routeQueue.getJobs(['delayed', 'wait', 'active', 'completed'])) as Job[];
    const check = jobs.find((job) => job.name === ROUTE_JOBS.agentOffline && job.data.agentId === agent.id);
    await expect(check?.waitUntilFinished(routeEvents, WAIT_MS)).resolves.toBe('online again');
    const [row] = await hub.db.query<{ assignee_id: string }>('SELECT assignee_id FROM conversations WHERE id = $1', [conversationId]);
    expect(row!.assignee_id).toBe(agent.id);
  });
});

describe('presence in Redis', () => {
  // Each test its own keys: a sweep looks at every agent under its prefix.
  let tests = 0;
  let prefix = '';
  beforeEach(() => {
    prefix = `${hub.config.redisPrefix}:direct-${++tests}`;
  });

  it('keeps an agent online while any of their sockets is connected, and says once when the last one goes', async () => {
    const server = serverPresence(redis, prefix);
    const reader = presenceReader(redis, prefix);
    await expect(server.connect('agt_tabs', 'tab-1')).resolves.toEqual({ cameOnline: true, status: 'available' });
    await expect(server.connect('agt_tabs', 'tab-2')).resolves.toEqual({ cameOnline: false, status: 'available' });
    await expect(server.disconnect('agt_tabs', 'tab-1')).resolves.toBe(false);
    await expect(reader.available()).resolves.toContain('agt_tabs');
    await expect(Promise.all([server.disconnect('agt_tabs', 'tab-2'), server.disconnect('agt_tabs', 'tab-2')])).resolves.toEqual([true, false]);
    await expect(reader.read(['agt_tabs'])).resolves.toEqual(new Map([['agt_tabs', { online: false, status: 'available' }]]));
    await server.close();
  });

  it('leaves away agents out of the available ones', async () => {
    const server = serverPresence(redis, prefix);
    const reader = presenceReader(redis, prefix);
    await server.connect('agt_away', 'socket-1');
    await expect(server.setStatus('agt_away', 'away')).resolves.toEqual({ online: true, previous: 'available' });
    await expect(reader.available()).resolves.not.toContain('agt_away');
    await expect(reader.read(['agt_away'])).resolves.toEqual(new Map([['agt_away', { online: true, status: 'away' }]]));
    await server.close();
  });

  it("stops counting a crashed server's sockets, and one sweep of a live server announces the agent offline once", async () => {
    const crashed = serverPresence(redis, prefix);
    const live = serverPresence(redis, prefix);
    const reader = presenceReader(redis, prefix);
    await crashed.connect('agt_crash', 'socket-1');
    await expect(reader.available()).resolves.toContain('agt_crash');
    // What a crash leaves behind once its heartbeat key expired: the socket entries, and no heartbeat.
    await crashed.close();
    await expect(reader.available()).resolves.not.toContain('agt_crash');
    const before = Date.now();
    await expect(live.beat(() => true)).resolves.toEqual(['agt_crash']);
    await expect(live.beat(() => true)).resolves.toEqual([]);
    expect(await reader.offlineSince('agt_crash')).toBeGreaterThanOrEqual(before);
    await live.close();
  });

  it('forgets sockets its own server recorded but no longer has', async () => {
    const server = serverPresence(redis, prefix);
    const reader = presenceReader(redis, prefix);
    await server.connect('agt_ghost', 'ghost');
    await server.connect('agt_kept', 'kept');
    await expect(server.beat((socketId) => socketId === 'kept')).resolves.toEqual(['agt_ghost']);
    const available = await reader.available();
    expect(available).toContain('agt_kept');
    expect(available).not.toContain('agt_ghost');
    await server.close();
  });
});
