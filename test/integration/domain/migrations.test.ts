import type { Database, Queryable } from '../../../server/db/database';
import { migrate, readMigrations } from '../../../server/db/migrate';
import { openPglite } from '../../../server/db/pglite';
import { connectPostgres } from '../../../server/db/postgres';
import { createTestDatabase, type TestDatabase } from '../../support/postgres';
import { OPEN_BACKEND_TIMEOUT } from '../../support/domainBackends';

const versions = readMigrations().map((migration) => migration.version);

/** The shape of the public schema: every column of every table, and every index. */
const schemaOf = async (db: Queryable) => ({
  columns: await db.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  ),
  indexes: await db.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`),
});

const ledgerOf = (db: Queryable) => db.query('SELECT version, name, applied_at FROM schema_migrations ORDER BY version');

type Fresh = { db: Database; close: () => Promise<void> };

const freshBackends: [name: string, open: () => Promise<Fresh>][] = [
  [
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase();
      const db = connectPostgres(database.url);
      const close = async () => {
        await db.close();
        await database.drop();
      };
      return { db, close };
    },
  ],
  [
    'PGlite',
    async () => {
      const db = await openPglite(undefined);
      return { db, close: () => db.close() };
    },
  ],
];

describe.each(freshBackends)('migrations on %s', (_backend, open) => {
  let fresh: Fresh;
  beforeAll(async () => {
    fresh = await open();
  }, OPEN_BACKEND_TIMEOUT);
  afterAll(() => fresh?.close());

  it('apply every version to an empty database, then nothing the second time, changing nothing', async () => {
    expect(await migrate(fresh.db)).toEqual(versions);
    const schema = await schemaOf(fresh.db);
    const ledger = await ledgerOf(fresh.db);
    expect(ledger.map((row) => row.version)).toEqual(versions);

    expect(await migrate(fresh.db)).toEqual([]);

    expect(await schemaOf(fresh.db)).toEqual(schema);
    expect(await ledgerOf(fresh.db)).toEqual(ledger);
  });
});

describe('two processes migrating one fresh PostgreSQL database at once', () => {
  let database: TestDatabase;
  let server: Database;
  let worker: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = connectPostgres(database.url);
    worker = connectPostgres(database.url);
  });
  afterAll(async () => {
    await server?.close();
    await worker?.close();
    await database?.drop();
  });

  it('both succeed and each version is applied once', async () => {
    const applied = await Promise.all([migrate(server), migrate(worker)]);

    expect([...applied].sort((a, b) => b.length - a.length)).toEqual([versions, []]);
    expect((await ledgerOf(server)).map((row) => row.version)).toEqual(versions);
  });
});
