import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { connectRedis } from './connect';

const STARTUP_TIMEOUT_MS = 10_000;
// sun_path holds 108 bytes on Linux, 104 on macOS.
const MAX_SOCKET_PATH = 100;

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

export type EmbeddedRedis = { path: string; stop: () => Promise<void> };

/**
 * A private redis-server for the embedded default (no REDIS_URL): a unix socket under DATA_DIR,
 * data saved there too. A server left running by an earlier hub on the same socket is reused.
 */
export async function startEmbeddedRedis(dataDir: string, log: Logger): Promise<EmbeddedRedis> {
  const directory = path.join(dataDir, 'redis');
  const socketPath = path.join(directory, 'redis.sock');
  if (socketPath.length > MAX_SOCKET_PATH) {
    throw new RedisUnavailableError(`DATA_DIR is too long for a unix socket (${socketPath}); use a shorter DATA_DIR or set REDIS_URL`);
  }
  mkdirSync(directory, { recursive: true });
  if (existsSync(socketPath)) {
    if (await answers(socketPath)) {
      log.info({ socketPath }, 'reusing the embedded redis-server already running');
      return { path: socketPath, stop: async () => undefined };
    }
    rmSync(socketPath, { force: true });
  }
  const child = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', socketPath, '--unixsocketperm', '700', '--dir', directory,
      '--save', '60 1', '--appendonly', 'no', '--logfile', 'redis.log'],
    { stdio: 'ignore' },
  );
  await waitUntilAnswering(child, socketPath);
  log.info({ socketPath }, 'started the embedded redis-server');
  return { path: socketPath, stop: () => stopChild(child) };
}

async function waitUntilAnswering(child: ChildProcess, socketPath: string): Promise<void> {
  let failure: Error | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    failure =
      error.code === 'ENOENT'
        ? new RedisUnavailableError(
            'REDIS_URL is not set and no redis-server is on PATH. Install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL=redis://host:6379',
          )
        : error;
  });
  child.once('exit', (code) => {
    failure ??= new RedisUnavailableError(`the embedded redis-server exited with code ${code}; see its redis.log`);
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (failure) throw failure;
    if (existsSync(socketPath) && (await answers(socketPath))) return;
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError('the embedded redis-server did not start within 10 s');
}

async function answers(socketPath: string): Promise<boolean> {
  const probe = connectRedis({ path: socketPath }, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    // SIGTERM makes redis-server save its data before it exits.
    child.kill('SIGTERM');
  });
}
