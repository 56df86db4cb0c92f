import type { Database } from '../../../server/db/database';
import { createAgent } from '../../../server/domain/agents';
import { newId } from '../../../server/domain/ids';
import { drainTeamQueue, handBackConversations, routeConversation } from '../../../server/domain/routing';
import { queuePosition } from '../../../server/domain/routingQueue';
import { backends, OPEN_BACKEND_TIMEOUT, type OpenedBackend, recordingContext } from '../../support/domainBackends';
import { newConversation, newCustomer } from './fixtures';

/** The routing domain on both databases the hub runs on: the server's PostgreSQL and embedded PGlite. */
describe.each(backends)('routing on %s', (_name, open) => {
  let backend: OpenedBackend;
  beforeAll(async () => {
    backend = await open();
  }, OPEN_BACKEND_TIMEOUT);
  afterAll(() => backend?.close());

  async function agents(db: Database, count: number, fields: { capacity?: number; skills?: string[] } = {}): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const agent = await createAgent(db, { email: `${newId('agt')}@example.com`, name: `Agent ${i}`, password: 'agent-password-1', capacity: fields.capacity ?? 5 });
      await db.query('UPDATE agents SET skills = $2 WHERE id = $1', [agent.id, fields.skills ?? []]);
      ids.push(agent.id);
    }
    return ids;
  }

  async function team(db: Database, fields: { strategy: string; intents: string[]; isDefault?: boolean }, members: string[]): Promise<string> {
    const id = newId('team');
    await db.query('INSERT INTO teams (id, name, strategy, intents, is_default) VALUES ($1, $2, $3, $4, $5)', [id, id, fields.strategy, fields.intents, fields.isDefault ?? false]);
    for (const agentId of members) await db.query('INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2)', [id, agentId]);
    return id;
  }

  const route = async (db: Database, signals: Parameters<typeof newConversation>[2], available: string[]) => {
    const { ctx } = recordingContext(db);
    return routeConversation(ctx, await newConversation(db, await newCustomer(db), signals), available);
  };

  it('goes round robin through the free agents in id order, starting again after the last', async () => {
    const { db } = backend;
    const members = await agents(db, 3);
    const teamId = await team(db, { strategy: 'round_robin', intents: ['place_order'] }, members);
    const picked: string[] = [];
    for (let i = 0; i < 4; i++) {
      const outcome = await route(db, { intent: 'place_order' }, members);
      picked.push(outcome.outcome === 'assigned' ? outcome.agentId : outcome.outcome);
    }
    expect(picked).toEqual([...members, members[0]]);
    const [row] = await db.query<{ last_assigned_agent_id: string }>('SELECT last_assigned_agent_id FROM teams WHERE id = $1', [teamId]);
    expect(row!.last_assigned_agent_id).toBe(members[0]);
  });

  it('gives least loaded teams the agent with the lowest share of capacity in use', async () => {
    const { db } = backend;
    const [small] = await agents(db, 1, { capacity: 2 });
    const [large] = await agents(db, 1, { capacity: 10 });
    await team(db, { strategy: 'least_loaded', intents: ['get_invoice'] }, [small!, large!]);
    // small: 1 of 2; large: 2 of 10 after these three.
    const first = await route(db, { intent: 'get_invoice' }, [small!]);
    await route(db, { intent: 'get_invoice' }, [large!]);
    await route(db, { intent: 'get_invoice' }, [large!]);
    expect(first).toMatchObject({ agentId: small });
    await expect(route(db, { intent: 'get_invoice' }, [small!, large!])).resolves.toMatchObject({ outcome: 'assigned', agentId: large });
  });

  it('gives skills teams an agent who speaks the language or knows the intent, else the least loaded one', async () => {
    const { db } = backend;
    const [plain] = await agents(db, 1);
    const [chinese] = await agents(db, 1, { skills: ['zh'] });
    const [refunds] = await agents(db, 1, { skills: ['check_refund_policy'] });
    await team(db, { strategy: 'skills', intents: ['check_refund_policy', 'track_refund'] }, [plain!, chinese!, refunds!]);
    const all = [plain!, chinese!, refunds!];
    await expect(route(db, { intent: 'track_refund', language: 'zh' }, all)).resolves.toMatchObject({ agentId: chinese });
    await expect(route(db, { intent: 'check_refund_policy', language: 'en' }, all)).resolves.toMatchObject({ agentId: refunds });
    await expect(route(db, { intent: 'track_refund', language: 'en' }, all)).resolves.toMatchObject({ agentId: plain });
  });

  it('sends what no team claims to the default team, queues it when nobody is free, and drains it in order', async () => {
    const { db } = backend;
    const [agent] = await agents(db, 1, { capacity: 0 });
    const defaultTeam = await team(db, { strategy: 'least_loaded', intents: [], isDefault: true }, [agent!]);
    const { ctx, published } = recordingContext(db);
    const normal = await newConversation(db, await newCustomer(db), { intent: 'unknown' });
    const vip = await newConversation(db, await newCustomer(db, { tags: ['vip'] }), { intent: 'delivery_options' });
    await expect(routeConversation(ctx, normal, [agent!])).resolves.toEqual({ outcome: 'queued', teamId: defaultTeam });
    await expect(routeConversation(ctx, vip, [agent!])).resolves.toEqual({ outcome: 'queued', teamId: defaultTeam });
    await expect(Promise.all([queuePosition(db, vip), queuePosition(db, normal)])).resolves.toEqual([1, 2]);
    expect(published).toContainEqual(expect.objectContaining({ type: 'queue:position', conversationId: normal, position: 2 }));

    await db.query('UPDATE agents SET capacity = 1 WHERE id = $1', [agent]);
    await expect(drainTeamQueue(ctx, defaultTeam, [agent!])).resolves.toBe(1);
    await expect(Promise.all([queuePosition(db, vip), queuePosition(db, normal)])).resolves.toEqual([null, 1]);

    await expect(handBackConversations(ctx, agent!)).resolves.toEqual([vip]);
    await expect(Promise.all([queuePosition(db, normal), queuePosition(db, vip)])).resolves.toEqual([2, 1]);
    await db.query('UPDATE teams SET is_default = false WHERE id = $1', [defaultTeam]);
  });
});
