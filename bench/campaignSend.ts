import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createCampaign } from '../server/domain/campaigns';
import { scheduleCampaign } from '../server/domain/campaignSending';
import { campaignStats } from '../server/domain/campaignStats';
import { startWorkerProcess } from '../test/support/processes';
import { percentile } from './percentiles';
import { startScratchHub } from './scratchStorage';

/**
 * Campaign sending on this machine: RECIPIENTS customers in one segment, one campaign to them,
 * sent by the worker process (`workers/main.ts`, as `npm run start:workers` runs it) through its
 * pooled SMTP transport into a sink in this process that counts messages without parsing them.
 * Prints sustained messages per second and the worker's peak memory (VmHWM from /proc).
 */
const RECIPIENTS = Number(process.env.BENCH_CAMPAIGN_RECIPIENTS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CAMPAIGN_CONCURRENCY ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CAMPAIGN_CONNECTIONS ?? 5);
// The most a campaign may ask for (campaignInputSchema): the limiter is then no brake on this machine.
const RATE_PER_SECOND = 1000;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RESULTS_FILE = path.resolve(__dirname, 'results/campaign-send.json');
const DEADLINE_MS = 15 * 60_000;
const PUBLIC_URL = 'https://hub.example.com';

/** An SMTP server that keeps only each message's arrival time and Message-ID. */
async function startCountingSink() {
  const arrivals: number[] = [];
  const messageIds = new Map<string, number>();
  let done: (() => void) | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // The worker's pool keeps its connections; a bench run never needs more than a few.
    maxClients: 100,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '(none)';
        messageIds.set(id, (messageIds.get(id) ?? 0) + 1);
        arrivals.push(performance.now());
        if (arrivals.length >= RECIPIENTS) done?.();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    arrivals,
    messageIds,
    all: new Promise<void>((resolve) => (done = resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function memoryMB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kB('VmRSS') / 1024, peak: kB('VmHWM') / 1024 };
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main(): Promise<void> {
  const sink = await startCountingSink();
  const scratch = await startScratchHub({ postgres: POSTGRES_URL, redis: REDIS_URL }, { SMTP_OUT_URL: sink.url, PUBLIC_URL }, { workers: false });
  const { hub, config } = scratch;
  let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
  try {
    // The audience in two statements; the bench measures sending, not the CRM's import.
    await hub.db.query(
      `INSERT INTO customers (id, name, tags, attributes)
       SELECT 'cus_bench' || lpad(i::text, 6, '0'), 'Customer ' || i, ARRAY['bench'], jsonb_build_object('plan', CASE WHEN i % 3 = 0 THEN 'pro' ELSE 'free' END)
         FROM generate_series(1, $1) AS i`,
      [RECIPIENTS],
    );
    await hub.db.query(
      `INSERT INTO customer_identities (id, customer_id, kind, value)
       SELECT 'idn_bench' || lpad(i::text, 6, '0'), 'cus_bench' || lpad(i::text, 6, '0'), 'email', 'customer' || i || '@bench.example'
         FROM generate_series(1, $1) AS i`,
      [RECIPIENTS],
    );
    // Statistics as autovacuum would have them for tables this size; right after a bulk load the
    // planner would guess the recipients query from empty tables.
    await hub.db.query('ANALYZE customers, customer_identities');
    await hub.db.query(`INSERT INTO segments (id, name, filter) VALUES ('seg_bench', 'Bench', '{"field": "tag", "op": "eq", "value": "bench"}')`);
    const campaign = await createCampaign(
      hub.db,
      { smtpAccounts: Object.keys(config.email.campaignAccounts) },
      {
        name: 'Bench',
        segmentId: 'seg_bench',
        from: { email: 'news@shop.example.com', name: 'Shop' },
        subject: 'Our spring sale, {{default customer.firstName "friend"}}',
        html: `<html><body><p>Hello {{customer.firstName}},</p>{{#if customer.attributes.plan}}<p>Your plan: {{customer.attributes.plan}}</p>{{/if}}<p><a href="https://shop.example.com/sale?utm_source=mail">See the sale</a></p><p>${'A paragraph of text. '.repeat(40)}</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p></body></html>`,
        text: `Hello {{customer.firstName}},\n\nSee the sale: https://shop.example.com/sale\n\n${'A paragraph of text. '.repeat(40)}\n\nUnsubscribe: {{unsubscribeUrl}}`,
        ratePerSecond: RATE_PER_SECOND,
        ratePerHour: null,
        smtpAccount: null,
      },
      null,
    );

    worker = await startWorkerProcess({
      DATABASE_URL: config.databaseUrl,
      REDIS_URL,
      REDIS_PREFIX: config.redisPrefix,
      SECRET_KEY: config.secretKey,
      DATA_DIR: config.dataDir,
      PUBLIC_URL,
      SMTP_OUT_URL: sink.url,
      CAMPAIGN_SEND_CONCURRENCY: String(CONCURRENCY),
      CAMPAIGN_SMTP_ACCOUNTS: JSON.stringify({ default: { url: sink.url, maxConnections: CONNECTIONS } }),
    });
    const pid = worker.child.pid!;
    const atStart = memoryMB(pid);
    const cpuAtStart = cpuSeconds(pid);
    let sampledPeak = atStart.rss;
    const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, memoryMB(pid).rss)), 250);

    const scheduledAt = performance.now();
    await scheduleCampaign(hub.domain, campaign.id, {}, { smtpAccounts: Object.keys(config.email.campaignAccounts) });
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([
      sink.all,
      new Promise((_resolve, reject) => {
        deadline = setTimeout(() => reject(new Error(`only ${sink.arrivals.length} of ${RECIPIENTS} messages arrived within ${DEADLINE_MS / 1000} s`)), DEADLINE_MS);
      }),
    ]);
    clearTimeout(deadline);
    clearInterval(sampler);
    const memory = memoryMB(pid);
    const cpu = cpuSeconds(pid) - cpuAtStart;

    const stats = await campaignStats(hub.db, campaign.id);
    const [status] = await hub.db.query<{ status: string }>('SELECT status FROM campaigns WHERE id = $1', [campaign.id]);
    const arrivals = sink.arrivals.map((at) => at - scheduledAt);
    const at = (share: number) => arrivals[Math.min(arrivals.length - 1, Math.floor(share * arrivals.length))]!;
    // The middle 80% of messages: what the send loop sustains once planning is over and before the tail.
    const sustained = (0.8 * arrivals.length) / ((at(0.9) - at(0.1)) / 1000);
    const gaps = arrivals.slice(1).map((time, index) => time - arrivals[index]!);
    const duplicates = [...sink.messageIds.values()].filter((count) => count > 1).length;

    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      recipients: RECIPIENTS,
      settings: { sendConcurrency: CONCURRENCY, smtpConnections: CONNECTIONS, ratePerSecond: RATE_PER_SECOND },
      delivered: sink.arrivals.length,
      distinctMessageIds: sink.messageIds.size,
      duplicates,
      firstMessageAfterMs: round(arrivals[0]!),
      totalSeconds: round(arrivals[arrivals.length - 1]! / 1000),
      messagesPerSecond: { sustained: round(sustained), overall: round(RECIPIENTS / (arrivals[arrivals.length - 1]! / 1000)) },
      gapMs: { p50: percentile(gaps, 50), p99: percentile(gaps, 99), max: round(Math.max(...gaps)) },
      worker: { peakRssMB: round(memory.peak), rssAtStartMB: round(atStart.rss), sampledPeakRssMB: round(sampledPeak), cpuSeconds: round(cpu) },
      campaign: { status: status?.status, stats },
    };
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
    console.table({
      recipients: RECIPIENTS,
      'first message after (ms)': result.firstMessageAfterMs,
      'total (s)': result.totalSeconds,
      'sustained messages/s': result.messagesPerSecond.sustained,
      'overall messages/s': result.messagesPerSecond.overall,
      'worker peak RSS (MB)': result.worker.peakRssMB,
      'worker RSS at start (MB)': result.worker.rssAtStartMB,
      'worker CPU (s)': result.worker.cpuSeconds,
      duplicates,
    });
    console.log(`written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
    if (duplicates > 0 || sink.messageIds.size !== RECIPIENTS) process.exitCode = 1;
  } finally {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await scratch.stop();
    await sink.close();
  }
}

const round = (value: number) => Math.round(value * 10) / 10;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
