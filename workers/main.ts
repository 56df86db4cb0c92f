import { ConfigError, loadConfigOrExit } from '../server/config';
import { migrate } from '../server/db/migrate';
import { openDatabase } from '../server/db/open';
import { createLogger } from '../server/log';
import { exitGracefullyOnSignals } from '../server/shutdown';
import { startWorkers } from './startWorkers';

/** `npm run start:workers`: the queue processors in a process of their own (the production split). */
async function main(): Promise<void> {
  const config = loadConfigOrExit((candidate) => {
    if (!candidate.redisUrl) {
      throw new ConfigError('REDIS_URL', 'is required for a separate worker process (npm start runs everything in one)');
    }
  });
  const log = createLogger(config, 'workers');
  const db = await openDatabase(config);
  await migrate(db);
  const workers = await startWorkers(config, log, { db, redis: { url: config.redisUrl! } });

  exitGracefullyOnSignals(log, config.shutdownTimeoutMs, async () => {
    await workers.close();
    await db.close();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
