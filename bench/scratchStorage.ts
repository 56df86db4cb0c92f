import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type Config, loadConfig } from '../server/config';
import { type Hub, startHub } from '../server/hub';
import { createLogger } from '../server/log';

const POSTGRES_TIMEOUT_MS = 30_000;
const REDIS_TIMEOUT_MS = 10_000;

export type ScratchDatabase = { name: string; url: string; drop: () => Promise<void> };

/** A new, empty database `hub_bench_<random>` on the server of `serverUrl`, removed by `drop()`. */
export async function createScratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `hub_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE ends the sessions of a hub that did not exit cleanly.
    drop: () => withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(serverUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: POSTGRES_TIMEOUT_MS, query_timeout: POSTGRES_TIMEOUT_MS });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A REDIS_PREFIX no other run shares (letters, digits and ':' as the hub's config allows). */
export const uniqueRedisPrefix = () => `hubbench:${randomBytes(4).toString('hex')}`;

/** Deletes the keys the hub left under `prefix` (BullMQ's queue metadata); returns how many. */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { connectTimeout: REDIS_TIMEOUT_MS, commandTimeout: REDIS_TIMEOUT_MS, maxRetriesPerRequest: 1 });
  // A failed command rejects on its own; the connection's error events add nothing to that.
  redis.on('error', () => undefined);
  try {
    let deleted = 0;
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length) deleted += await redis.del(...keys);
    }
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/**
 * A hub in the benchmark's own process on a scratch database, a private Redis prefix and a
 * temporary DATA_DIR; `stop()` closes it and removes all three, whatever happened before.
 */
export async function startScratchHub(
  urls: { postgres: string; redis: string },
  env: NodeJS.ProcessEnv,
  options: { workers: boolean },
): Promise<{ hub: Hub; config: Config; stop: () => Promise<void> }> {
  const database = await createScratchDatabase(urls.postgres);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hub-bench-'));
  const redisPrefix = uniqueRedisPrefix();
  const config = loadConfig({
    PORT: '0', SMTP_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: database.url, REDIS_URL: urls.redis, REDIS_PREFIX: redisPrefix,
    ADMIN_PASSWORD: 'bench-password', LOG_LEVEL: 'warn', ...env,
  });
  const hub = await startHub(config, createLogger(config), options);
  return {
    hub,
    config,
    stop: async () => {
      await hub.close();
      await database.drop();
      await deleteRedisPrefix(urls.redis, redisPrefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
