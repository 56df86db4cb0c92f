import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../server/config';
import { type Hub, startHub } from '../../server/hub';
import { createLogger } from '../../server/log';
import { createTestDatabase, TEST_REDIS_URL, uniqueRedisPrefix } from './postgres';

export const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery' };

export type TestHub = Hub & { config: Config; stop: () => Promise<void> };

/**
 * A real hub on a free port, on its own PostgreSQL database and Redis prefix, with an admin agent.
 * Pass `env` to override variables (e.g. share a DATABASE_URL/REDIS_PREFIX between two hubs), and
 * `workers: false` when the workers run in a process of their own.
 */
export async function startTestHub(env: NodeJS.ProcessEnv = {}, options: { workers: boolean } = { workers: true }): Promise<TestHub> {
  const database = env.DATABASE_URL ? undefined : await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-test-'));
  const config = loadConfig({
    PORT: '0',
    SMTP_PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: database?.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: uniqueRedisPrefix(),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Tests stand for many clients by setting X-Forwarded-For.
    TRUST_PROXY: 'true',
    ...env,
  });
  const hub = await startHub(config, createLogger(config), options);
  return {
    ...hub,
    config,
    stop: async () => {
      await hub.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
