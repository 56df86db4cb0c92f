import { mkdirSync } from 'node:fs';
import type { Database, Queryable } from './database';

/** The embedded PostgreSQL (PGlite), persisted in `directory`, or in memory when it is undefined. */
export async function openPglite(directory: string | undefined): Promise<Database> {
  const { PGlite, types } = await import('@electric-sql/pglite');
  if (directory) mkdirSync(directory, { recursive: true });
  const parsers = { [types.INT8]: (value: string) => Number(value) };
  const db = await PGlite.create(directory, { parsers });
  // PGlite is one connection: its transaction() queues other callers until it finishes.
  const wrap = (target: Pick<typeof db, 'query' | 'exec'>): Queryable => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) =>
      (await target.query<Row>(sql, params as unknown[])).rows,
    exec: async (sql) => {
      await target.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
  };
}
