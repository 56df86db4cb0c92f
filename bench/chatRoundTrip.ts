import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { type ChatTraffic, runChat } from './chatTraffic';
import { type HubProcess, startHubProcess } from './hubProcess';
import { percentile } from './percentiles';
import { RunErrors } from './runErrors';
import { createScratchDatabase, deleteRedisPrefix, uniqueRedisPrefix } from './scratchStorage';

/**
 * `npm run bench`: the chat round trip, visitor → hub → agent, with many visitors at once, against
 * a hub in its own process on a fresh PostgreSQL database and Redis prefix. See bench/README.md.
 */

const START_TIMEOUT_MS = 60_000;
// Every step has its own deadline; this one only guards against a step that forgets to keep it.
const RUN_TIMEOUT_MS = 10 * 60_000;
const RESULTS_FILE = path.resolve(__dirname, 'results/chat-round-trip.json');

const optionsSchema = z.object({
  BENCH_VISITORS: z.coerce.number().int().min(1).max(10_000).default(200),
  BENCH_MESSAGES_PER_VISITOR: z.coerce.number().int().min(1).max(10_000).default(10),
  BENCH_POSTGRES_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .default('postgres://postgres@127.0.0.1:5432/postgres'),
  BENCH_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
});

type Options = { visitors: number; messagesPerVisitor: number; postgresUrl: string; redisUrl: string };

function readOptions(): Options {
  const parsed = optionsSchema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    console.error(`${String(issue.path[0])}: ${issue.message}`);
    process.exit(1);
  }
  const env = parsed.data;
  return Object.freeze({
    visitors: env.BENCH_VISITORS,
    messagesPerVisitor: env.BENCH_MESSAGES_PER_VISITOR,
    postgresUrl: env.BENCH_POSTGRES_URL,
    redisUrl: env.BENCH_REDIS_URL,
  });
}

// Newest first; the hub stops before its database, prefix and data directory go.
const cleanup: (() => Promise<unknown>)[] = [];

/** Runs each cleanup step once, newest first; a step that fails is reported and the rest still run. */
async function cleanUp(): Promise<boolean> {
  let clean = true;
  for (const step of cleanup.splice(0)) {
    await step().catch((error: unknown) => {
      clean = false;
      console.error(`cleanup failed: ${(error as Error).message}`);
    });
  }
  return clean;
}

async function main(options: Options): Promise<boolean> {
  const database = await createScratchDatabase(options.postgresUrl);
  cleanup.unshift(database.drop);
  const redisPrefix = uniqueRedisPrefix();
  cleanup.unshift(() => deleteRedisPrefix(options.redisUrl, redisPrefix));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hub-bench-'));
  cleanup.unshift(async () => rmSync(dataDir, { recursive: true, force: true }));
  const agent = { email: 'bench@example.com', password: randomBytes(12).toString('hex') };

  const hub = await startHubProcess(
    {
      DATABASE_URL: database.url,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: redisPrefix,
      ADMIN_EMAIL: agent.email,
      ADMIN_PASSWORD: agent.password,
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
    },
    START_TIMEOUT_MS,
  );
  cleanup.unshift(hub.stop);
  const memoryAtStart = hub.memoryMB();

  const errors = new RunErrors();
  const cpuBefore = hub.cpuSeconds();
  const traffic = await runChat(hub.url, { visitors: options.visitors, messagesPerVisitor: options.messagesPerVisitor, agent }, errors);
  // Read before stopping: VmHWM is the most the server held resident at any moment of its life.
  const memoryAtEnd = hub.memoryMB();
  const cpuAfter = hub.cpuSeconds();
  const exitDuringRun = hub.exitStatus();
  // Stopped here rather than only in cleanup, so what it logs while draining is counted too.
  await hub.stop();
  noteHubTrouble(hub, exitDuringRun, errors);

  const server = {
    peakRssMB: memoryAtEnd?.peak,
    cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
  const result = summarize(options, traffic, server, errors);
  printTable(result, traffic, memoryAtStart?.rss);
  writeResults(result);
  return errors.total === 0;
}

function noteHubTrouble(hub: HubProcess, exitDuringRun: string | undefined, errors: RunErrors): void {
  if (exitDuringRun) errors.add('hubExits', `the hub process exited during the run (${exitDuringRun})`);
  else if (hub.exitStatus() !== 'code 0') errors.add('hubExits', `the hub did not drain and exit 0 on SIGTERM (${hub.exitStatus()})`);
  for (const line of hub.logs.errors.examples) errors.add('hubErrorLogLines', line);
  errors.add('hubErrorLogLines', 'lines beyond those shown', hub.logs.errors.count - hub.logs.errors.examples.length);
  const { warnings } = hub.logs;
  if (warnings.count) console.warn(`The hub logged ${warnings.count} warning(s), e.g.:\n${warnings.examples.join('\n')}`);
}

type Result = ReturnType<typeof summarize>;

function summarize(
  options: Options,
  traffic: ChatTraffic,
  server: { peakRssMB: number | undefined; cpuSeconds: number | undefined },
  errors: RunErrors,
) {
  const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
  return {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown', node: process.version },
    visitors: options.visitors,
    messagesPerVisitor: options.messagesPerVisitor,
    totalMessages: options.visitors * options.messagesPerVisitor,
    durationSeconds: round(traffic.durationSeconds, 2),
    messagesPerSecond: round(traffic.durationSeconds > 0 ? traffic.delivered / traffic.durationSeconds : 0),
    roundTripMs: {
      p50: percentile(traffic.roundTripMs, 50),
      p90: percentile(traffic.roundTripMs, 90),
      p99: percentile(traffic.roundTripMs, 99),
      max: percentile(traffic.roundTripMs, 100),
    },
    ackMs: { p50: percentile(traffic.ackMs, 50), p99: percentile(traffic.ackMs, 99) },
    serverPeakRssMB: server.peakRssMB === undefined ? null : round(server.peakRssMB),
    // The hub's own cost (connects and messages), apart from what the clients and PostgreSQL took.
    serverCpuSeconds: server.cpuSeconds === undefined ? null : round(server.cpuSeconds, 2),
    errors: errors.toJSON(),
  };
}

function printTable(result: Result, traffic: ChatTraffic, rssAtStartMB: number | undefined): void {
  const { roundTripMs: rt, ackMs: ack } = result;
  const rows: [string, string][] = [
    ['visitors connected', `${traffic.connectedVisitors} / ${result.visitors} in ${traffic.connectSeconds.toFixed(2)} s`],
    ['messages delivered', `${traffic.delivered} / ${result.totalMessages} (${traffic.sent} sent) in ${result.durationSeconds} s`],
    ['throughput', `${result.messagesPerSecond} messages/s`],
    ['round trip (ms)', `p50 ${rt.p50 ?? '–'}   p90 ${rt.p90 ?? '–'}   p99 ${rt.p99 ?? '–'}   max ${rt.max ?? '–'}`],
    ['ack (ms)', `p50 ${ack.p50 ?? '–'}   p99 ${ack.p99 ?? '–'}`],
    ['server RSS (MB)', `${rssAtStartMB?.toFixed(1) ?? '?'} after start, ${result.serverPeakRssMB ?? '?'} peak`],
    ['server CPU', `${result.serverCpuSeconds ?? '?'} s for connects and messages (${cpuMsPerMessage(result, traffic)} ms per message)`],
    ['errors', result.errors.total === 0 ? 'none' : `${result.errors.total}`],
  ];
  const { cpus, cpuModel, node } = result.machine;
  console.log(`\nChat round trip: ${result.visitors} visitors × ${result.messagesPerVisitor} messages (${cpus} × ${cpuModel}, Node ${node})\n`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(20)} ${value}`);
  for (const example of result.errors.examples) console.log(`    ${example}`);
  console.log(`\nWrote ${path.relative(process.cwd(), RESULTS_FILE)}\n`);
}

function cpuMsPerMessage(result: Result, traffic: ChatTraffic): string {
  return result.serverCpuSeconds === null || traffic.delivered === 0 ? '?' : ((result.serverCpuSeconds * 1000) / traffic.delivered).toFixed(2);
}

// Written beside and renamed, so an interrupted run never leaves half a file (*.tmp is git-ignored).
function writeResults(result: Result): void {
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  const temporary = `${RESULTS_FILE}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(temporary, RESULTS_FILE);
}

function exitAfterCleanup(code: number): void {
  void cleanUp().then((clean) => process.exit(clean ? code : code || 1));
}

const watchdog = setTimeout(() => {
  console.error(`The benchmark did not finish within ${RUN_TIMEOUT_MS / 1000} s; stopping it.`);
  exitAfterCleanup(2);
}, RUN_TIMEOUT_MS);
process.once('SIGINT', () => exitAfterCleanup(130));
process.once('SIGTERM', () => exitAfterCleanup(143));

main(readOptions()).then(
  (passed) => {
    clearTimeout(watchdog);
    if (!passed) console.error('The run had errors (see above); exiting 1.');
    exitAfterCleanup(passed ? 0 : 1);
  },
  (error: unknown) => {
    clearTimeout(watchdog);
    console.error(error);
    exitAfterCleanup(1);
  },
);
