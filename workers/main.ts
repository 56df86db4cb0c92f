import { ConfigError, loadConfig } from '../server/config';
import { migrate } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { createLogger } from '../server/log';
import { connectRedis } from '../server/redis/connect';

/**
 * `npm run start:workers`: the worker process of the production split. It shares PostgreSQL and
 * Redis with the servers. The queue processors (classify, route, sla, email-out, campaigns)
 * arrive with their issues; until then this process only proves its connections and waits.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    if (!config.redisUrl) throw new ConfigError('REDIS_URL', 'is required for a separate worker process (npm start runs everything in one)');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    process.exit(1);
  }
  const log = createLogger(config, 'workers');
  const db = await openDatabase(config);
  await migrate(db);
  const redis = connectRedis({ url: config.redisUrl! }, { maxRetriesPerRequest: null });
  await redis.ping();
  log.info({ queues: [] }, 'workers ready');

  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    redis.disconnect();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
