import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { loadConfig } from '../server/config';
import { replyAsAgent } from '../server/domain/replies';
import { startHub } from '../server/hub';
import { createLogger } from '../server/log';
import { startSmtpSink } from '../test/support/smtpSink';
import { percentile } from './percentiles';
import { createScratchDatabase, deleteRedisPrefix, uniqueRedisPrefix } from './scratchStorage';

/**
 * Email throughput on this machine: inbound messages per second through the hub's SMTP port
 * (nodemailer, 10 connections) into PostgreSQL, then outbound replies per second through the
 * email-out queue to a local SMTP sink. The hub runs in this process, with its workers.
 */
const INBOUND = Number(process.env.BENCH_INBOUND_MESSAGES ?? 1000);
const REPLIES = Number(process.env.BENCH_REPLIES ?? 500);
const CONNECTIONS = 10;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RESULTS_FILE = path.resolve(__dirname, 'results/email-throughput.json');

async function main(): Promise<void> {
  const database = await createScratchDatabase(POSTGRES_URL);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hub-bench-email-'));
  const redisPrefix = uniqueRedisPrefix();
  const sink = await startSmtpSink();
  const config = loadConfig({
    PORT: '0', SMTP_PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: database.url, REDIS_URL, REDIS_PREFIX: redisPrefix,
    ADMIN_PASSWORD: 'bench-password', LOG_LEVEL: 'warn', SMTP_OUT_URL: sink.url, SMTP_SENDER_LIMIT_PER_MINUTE: String(INBOUND * 2),
    EMAIL_OUT_CONCURRENCY: '20',
  });
  const hub = await startHub(config, createLogger(config), { workers: true });
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: hub.smtpPort, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity, ignoreTLS: true });
  try {
    const sendLatencies: number[] = [];
    const inboundStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < INBOUND) {
          const index = next++;
          const started = performance.now();
          await client.sendMail({
            from: `Customer ${index} <customer${index % 200}@bench.example>`,
            to: 'support@example.com',
            subject: `Order ${index} question`,
            text: `Hello, where is order ${index}? ${'Some detail. '.repeat(20)}`,
            messageId: `<${randomUUID()}@bench.example>`,
          });
          sendLatencies.push(performance.now() - started);
        }
      }),
    );
    const inboundSeconds = (performance.now() - inboundStarted) / 1000;
    const [{ stored }] = (await hub.db.query<{ stored: number }>("SELECT count(*)::int AS stored FROM messages WHERE channel = 'email'")) as [{ stored: number }];

    const [admin] = await hub.db.query<{ id: string }>("SELECT id FROM agents WHERE role = 'admin' LIMIT 1");
    const conversations = await hub.db.query<{ id: string }>('SELECT id FROM conversations ORDER BY created_at LIMIT $1', [REPLIES]);
    const outboundStarted = performance.now();
    const before = sink.messages.length;
    await Promise.all(conversations.map((conversation) => replyAsAgent(hub.domain, { agentId: admin!.id, conversationId: conversation.id, body: 'Your order ships tomorrow.' })));
    await sink.next(() => sink.messages.length - before >= conversations.length, 120_000);
    const outboundSeconds = (performance.now() - outboundStarted) / 1000;

    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      inbound: {
        messages: INBOUND,
        stored,
        connections: CONNECTIONS,
        seconds: round(inboundSeconds),
        messagesPerSecond: round(INBOUND / inboundSeconds),
        sendMs: { p50: percentile(sendLatencies, 50), p99: percentile(sendLatencies, 99) },
      },
      outbound: { replies: conversations.length, seconds: round(outboundSeconds), repliesPerSecond: round(conversations.length / outboundSeconds) },
      processPeakRssMB: round(process.resourceUsage().maxRSS / 1024),
    };
    console.table({
      'inbound SMTP': { count: INBOUND, 'per second': result.inbound.messagesPerSecond, 'p50 ms': result.inbound.sendMs.p50, 'p99 ms': result.inbound.sendMs.p99 },
      'outbound replies': { count: conversations.length, 'per second': result.outbound.repliesPerSecond },
    });
    console.log(`peak memory of the process (hub, workers and clients): ${result.processPeakRssMB} MB`);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`);
    if (stored !== INBOUND) throw new Error(`${INBOUND - stored} inbound messages were not stored`);
  } finally {
    client.close();
    await hub.close();
    await sink.close();
    await database.drop();
    await deleteRedisPrefix(REDIS_URL, redisPrefix);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const round = (value: number) => Math.round(value * 10) / 10;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
