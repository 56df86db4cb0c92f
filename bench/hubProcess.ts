import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(__dirname, '..');
const HEALTH_POLL_MS = 100;
// The hub's own drain deadline (SHUTDOWN_TIMEOUT_MS) is 10 s; past this we stop asking.
const STOP_TIMEOUT_MS = 15_000;
const KEPT_LINES = 20;
const PINO_WARN = 40;

type LogLines = { count: number; examples: string[] };
export type HubLogs = { errors: LogLines; warnings: LogLines };

export type HubProcess = {
  url: string;
  pid: number;
  /** How the process ended ('code 1', 'signal SIGKILL'), or undefined while it runs. */
  exitStatus: () => string | undefined;
  /** Resident memory now and at its peak (VmRSS, VmHWM), in MB; undefined where /proc is missing. */
  memoryMB: () => { rss: number; peak: number } | undefined;
  /** CPU time the process has used so far (user + system), in seconds; undefined where /proc is missing. */
  cpuSeconds: () => number | undefined;
  /** What the hub logged (it runs with LOG_LEVEL=warn): error lines count the non-JSON output and stderr too. */
  logs: HubLogs;
  /** SIGTERM, then SIGKILL if the hub has not drained in time; resolves once it has exited. */
  stop: () => Promise<void>;
};

/**
 * Runs `server/main.ts` as its own process on a free port and resolves once GET /healthz answers.
 * Node is launched with `--import tsx` (not the tsx CLI, which forks) so the pid is the server's.
 */
export async function startHubProcess(env: Record<string, string>, timeoutMs: number): Promise<HubProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port), SMTP_PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: HubLogs = { errors: { count: 0, examples: [] }, warnings: { count: 0, examples: [] } };
  const keep = (line: string) => {
    const level = logLevel(line);
    if (level !== undefined && level < PINO_WARN) return;
    const lines = level === PINO_WARN ? logs.warnings : logs.errors;
    lines.count += 1;
    if (lines.examples.length < KEPT_LINES) lines.examples.push(line.slice(0, 500));
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => keep(`spawn: ${error.message}`));
  // Every line is read, so a chatty hub never blocks on a full pipe.
  createInterface({ input: child.stdout! }).on('line', keep);
  createInterface({ input: child.stderr! }).on('line', (line) => keep(`stderr: ${line}`));

  const url = `http://127.0.0.1:${port}`;
  const hub: HubProcess = {
    url,
    pid: child.pid!,
    exitStatus: () => exitStatus(child),
    memoryMB: () => readMemoryMB(child.pid!),
    cpuSeconds: () => readCpuSeconds(child.pid!),
    logs,
    stop: () => stop(child, exited),
  };
  try {
    await waitHealthy(url, child, timeoutMs);
  } catch (error) {
    await hub.stop();
    throw new Error([(error as Error).message, ...logs.errors.examples, ...logs.warnings.examples].join('\n'));
  }
  return hub;
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  // The hub logs nothing at LOG_LEVEL=warn when it starts listening, so ask until it answers.
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = exitStatus(child);
    if (status) throw new Error(`the hub exited (${status}) before answering /healthz`);
    const healthy = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await sleep(HEALTH_POLL_MS);
  }
  throw new Error(`the hub did not answer ${url}/healthz within ${timeoutMs} ms`);
}

function exitStatus(child: ChildProcess): string | undefined {
  if (child.exitCode !== null) return `code ${child.exitCode}`;
  if (child.signalCode !== null) return `signal ${child.signalCode}`;
  return undefined;
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (exitStatus(child)) return;
  child.kill('SIGTERM');
  if (await settlesWithin(exited, STOP_TIMEOUT_MS)) return;
  child.kill('SIGKILL');
  if (!(await settlesWithin(exited, STOP_TIMEOUT_MS))) throw new Error(`the hub (pid ${child.pid}) did not exit after SIGKILL`);
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  const timeout = new AbortController();
  const settled = await Promise.race([promise.then(() => true), sleep(ms, false, { signal: timeout.signal }).catch(() => false)]);
  timeout.abort();
  return settled;
}

function logLevel(line: string): number | undefined {
  try {
    return (JSON.parse(line) as { level?: number }).level;
  } catch {
    return undefined;
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function readMemoryMB(pid: number): { rss: number; peak: number } | undefined {
  const status = readProc(pid, 'status');
  if (status === undefined) return undefined;
  const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kB('VmRSS') / 1024, peak: kB('VmHWM') / 1024 };
}

// proc(5): utime and stime are fields 14 and 15, counted after the parenthesized command name
// (which may hold spaces), in clock ticks of 1/100 s (USER_HZ on Linux).
function readCpuSeconds(pid: number): number | undefined {
  const stat = readProc(pid, 'stat');
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// Another process could take the port between close and the hub's listen; on a bench machine it does not.
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
