import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(__dirname, '../..');

export type HubProcess = { url: string; child: ChildProcess; output: string[]; exited: Promise<number | null> };

/**
 * Runs `server/main.ts` as its own process (as `npm start` does) and resolves once it listens.
 * PORT=0 is fine: the address is read from the "hub listening" log line.
 */
export function startHubProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<HubProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', SMTP_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the hub did not start within ${timeoutMs} ms:\n${output.join('\n')}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited with ${code} before listening:\n${output.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const entry = parseLogLine(line);
      if (entry?.msg === 'hub listening') {
        clearTimeout(timer);
        resolve({ url: String(entry.url), child, output, exited });
      }
    });
  });
}

/** Sends SIGTERM and resolves with the exit code. */
export async function stopHubProcess(hub: HubProcess): Promise<number | null> {
  if (hub.child.exitCode !== null) return hub.child.exitCode;
  hub.child.kill('SIGTERM');
  return hub.exited;
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export type WorkerProcess = { child: ChildProcess; output: string[]; exited: Promise<number | null> };

/**
 * Runs `workers/main.ts` as its own process (as `npm run start:workers` does) and resolves once
 * its queues are ready ("workers ready" in its log). Tests kill it (SIGKILL) to play a crash.
 */
export function startWorkerProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'info', DOTENV_CONFIG_QUIET: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the workers did not start within ${timeoutMs} ms:\n${output.join('\n')}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the workers exited with ${code} before they were ready:\n${output.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      if (parseLogLine(line)?.msg === 'workers ready') {
        clearTimeout(timer);
        resolve({ child, output, exited });
      }
    });
  });
}
