import path from 'node:path';
import type { Config } from '../config';
import type { Database } from './database';
import { openPglite } from './pglite';
import { connectPostgres } from './postgres';

/** PostgreSQL when DATABASE_URL is set, else the embedded database under DATA_DIR/db. */
export function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Database> {
  if (config.databaseUrl) return Promise.resolve(connectPostgres(config.databaseUrl));
  return openPglite(path.join(config.dataDir, 'db'));
}
