import type { Database } from '../../../server/db/database';
import { migrate } from '../../../server/db/migrate';
import { connectPostgres } from '../../../server/db/postgres';
import { createAgent } from '../../../server/domain/agents';
import { newId } from '../../../server/domain/ids';
import { drainTeamQueue, routeConversation } from '../../../server/domain/routing';
import { recordingContext } from '../../support/domainBackends';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { newConversation, newCustomer } from './fixtures';

/**
 * Several routers at once, each on its own database connections, as several worker processes
 * would run them: an agent is never given more than their capacity, a conversation never twice.
 */
let database: TestDatabase;
let connections: Database[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  connections = Array.from({ length: 5 }, () => connectPostgres(database.url, 3));
  await migrate(connections[0]!);
});

afterAll(async () => {
  await Promise.all(connections.map((db) => db.close()));
  await database.drop();
});

const strategies = ['least_loaded', 'round_robin', 'skills', 'least_loaded', 'round_robin'] as const;
// Two teams a round, both with the agent, so locking a team does not serialize the routers: only
// the agent's row lock does. Each round has intents of its own, so its teams compete with no others.
const intentPairs = [
  ['get_refund', 'track_refund'],
  ['check_refund_policy', 'check_cancellation_fee'],
  ['delivery_period', 'delivery_options'],
  ['create_account', 'registration_problems'],
  ['set_up_shipping_address', 'change_shipping_address'],
] as const;

describe.each(strategies.map((strategy, round) => [round + 1, strategy, intentPairs[round]!] as const))('round %i (%s)', (_round, strategy, intents) => {
  it('gives an agent with capacity 2 exactly 2 of 10 conversations routed and drained at once, none twice', async () => {
    const db = connections[0]!;
    const agent = await createAgent(db, { email: `${newId('agt')}@example.com`, name: 'Busy', password: 'agent-password-1', capacity: 2 });
    await db.query('UPDATE agents SET skills = $2 WHERE id = $1', [agent.id, [intents[0]]]);
    const teamIds: string[] = [];
    for (const intent of intents) {
      const teamId = newId('team');
      await db.query('INSERT INTO teams (id, name, strategy, intents) VALUES ($1, $2, $3, $4)', [teamId, `Team ${teamId}`, strategy, [intent]]);
      await db.query('INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2)', [teamId, agent.id]);
      teamIds.push(teamId);
    }
    const conversationIds: string[] = [];
    for (let i = 0; i < 10; i++) conversationIds.push(await newConversation(db, await newCustomer(db), { intent: intents[i % 2]! }));

    const contexts = connections.map((connection) => recordingContext(connection).ctx);
    const available = [agent.id];
    await Promise.all([
      ...conversationIds.map((id, i) => routeConversation(contexts[i % contexts.length]!, id, available)),
      ...contexts.map((ctx, i) => drainTeamQueue(ctx, teamIds[i % 2]!, available)),
      ...conversationIds.map((id, i) => routeConversation(contexts[(i + 2) % contexts.length]!, id, available)),
    ]);

    const assigned = await db.query<{ id: string }>("SELECT id FROM conversations WHERE assignee_id = $1 AND status = 'open'", [agent.id]);
    expect(assigned).toHaveLength(2);
    const assignments = await db.query<{ reference: string; times: number }>(
      `SELECT reference, count(*)::int AS times FROM timeline_events
        WHERE kind = 'conversation.assigned' AND reference = ANY($1::text[]) GROUP BY reference`,
      [conversationIds],
    );
    expect(assignments.map((row) => row.times)).toEqual([1, 1]);
    expect(assignments.map((row) => row.reference).sort()).toEqual(assigned.map((row) => row.id).sort());
    const [waiting] = await db.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM conversations WHERE id = ANY($1::text[]) AND assignee_id IS NULL AND queued_at IS NOT NULL AND team_id = ANY($2::text[])',
      [conversationIds, teamIds],
    );
    expect(waiting!.count).toBe(8);
  });
});
