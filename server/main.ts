import { loadConfigOrExit } from './config';
import { startHub } from './hub';
import { createLogger } from './log';
import { RedisUnavailableError } from './redis/embeddedRedis';
import { exitGracefullyOnSignals } from './shutdown';

/**
 * `npm start`: the hub's server and its workers in one process.
 * `npm run start:server` (--without-workers): the server alone, for the production split.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config);
  const hub = await startHub(config, log, { workers: !process.argv.includes('--without-workers') }).catch((error: unknown) => {
    if (error instanceof RedisUnavailableError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  });

  exitGracefullyOnSignals(log, config.shutdownTimeoutMs, hub.close);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
