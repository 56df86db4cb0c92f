import pg from 'pg';
import request from 'supertest';
import { startTestHub, type TestHub } from '../../support/hub';
import { TEST_POSTGRES_URL } from '../../support/postgres';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

/** Runs SQL on the test server's maintenance database, as an operator would. */
async function asOperator(sql: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

describe('GET /healthz', () => {
  it('answers 200 {status: "ok"} while the process is up', async () => {
    const response = await request(hub.handler).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/json');
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('needs no token', async () => {
    const response = await request(hub.handler).get('/healthz').set('authorization', 'Bearer not-a-token');
    expect(response.status).toBe(200);
  });
});

describe('GET /readyz', () => {
  it('answers 200 with the database and Redis checks "ok" when both answer', async () => {
    const response = await request(hub.handler).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
  });

  it('answers 503 naming the database while PostgreSQL refuses connections, and 200 again once it is back', async () => {
    const database = new URL(hub.config.databaseUrl!).pathname.slice(1);
    await asOperator(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    try {
      await asOperator('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);

      const down = await request(hub.handler).get('/readyz');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: 'unavailable', checks: { database: 'failed', redis: 'ok' } });
    } finally {
      await asOperator(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    }

    const back = await request(hub.handler).get('/readyz');
    expect(back.status).toBe(200);
    expect(back.body).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
  });
});

describe('request ids', () => {
  it('gives every response an X-Request-Id', async () => {
    const response = await request(hub.handler).get('/healthz');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps a proxy's X-Request-Id when it is plainly an id", async () => {
    const response = await request(hub.handler).get('/healthz').set('x-request-id', 'lb-7f3a.2:9');
    expect(response.headers['x-request-id']).toBe('lb-7f3a.2:9');
  });

  it.each([
    ['spaces and markup', 'has spaces and <tags>'],
    ['over 100 characters', 'x'.repeat(101)],
  ])('replaces an X-Request-Id with %s by an id of its own', async (_case, given) => {
    const response = await request(hub.handler).get('/healthz').set('x-request-id', given);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
