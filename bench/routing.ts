import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { io, type Socket } from 'socket.io-client';
import { issueAgentToken } from '../server/domain/agentTokens';
import { createAgent } from '../server/domain/agents';
import { newId } from '../server/domain/ids';
import { ingest } from '../server/domain/ingest';
import { SHIPPED_INTENT_MODEL } from '../server/domain/intents';
import { classifyMessage } from '../workers/classify/classifyMessage';
import { readIntentModel } from '../workers/classify/modelFile';
import { percentile } from './percentiles';
import { startScratchHub } from './scratchStorage';

/**
 * Classification and routing under a burst: BENCH_CONVERSATIONS customers write at the same moment
 * while BENCH_AGENTS agents have their consoles open. Measures the classifier alone
 * (classifications per second) and, end to end through the real queues and workers, the time from
 * a message's arrival to its agent's console receiving `conversation:assigned`.
 */
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 1000);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 50);
const CLASSIFIER_SAMPLES = 20_000;
const ASSIGNMENT_TIMEOUT_MS = 120_000;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RESULTS_FILE = path.resolve(__dirname, 'results/routing.json');
const DATA_FILE = path.resolve(__dirname, '../data/intents/bitext-customer-support.csv');

// Three teams split the intents; the default team takes the rest and anything unknown.
const TEAMS = [
  { name: 'Orders', strategy: 'least_loaded', intents: ['cancel_order', 'change_order', 'place_order', 'track_order'], share: 0.3 },
  { name: 'Billing', strategy: 'round_robin', intents: ['check_invoice', 'get_invoice', 'get_refund', 'track_refund', 'payment_issue', 'check_payment_methods', 'check_refund_policy', 'check_cancellation_fee'], share: 0.3 },
  { name: 'General', strategy: 'least_loaded', intents: [], share: 0.4, isDefault: true },
] as const;

async function main(): Promise<void> {
  const texts = (parse(readFileSync(DATA_FILE), { columns: true }) as { text: string }[]).map((row) => row.text);
  const classifier = measureClassifier(texts);
  console.log(`classifier alone: ${classifier.perSecond} classifications/s`);

  const { hub, config, stop } = await startScratchHub({ postgres: POSTGRES_URL, redis: REDIS_URL }, { CLASSIFY_CONCURRENCY: '8', ROUTE_CONCURRENCY: '8' }, { workers: true });
  const consoles: Socket[] = [];
  let peakRssBytes = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss)), 100);
  try {
    // Enough capacity for the whole burst, spread over the teams by their share of the traffic.
    const capacity = Math.ceil((CONVERSATIONS / AGENTS) * 2);
    const agentIds: string[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const agent = await createAgent(hub.db, { email: `agent${i}@bench.example`, name: `Agent ${i}`, password: 'bench-password', capacity });
      agentIds.push(agent.id);
    }
    let next = 0;
    for (const team of TEAMS) {
      const id = newId('team');
      await hub.db.query('INSERT INTO teams (id, name, strategy, intents, is_default) VALUES ($1, $2, $3, $4, $5)', [
        id, team.name, team.strategy, team.intents, 'isDefault' in team,
      ]);
      const members = agentIds.slice(next, team === TEAMS[TEAMS.length - 1] ? AGENTS : (next += Math.round(AGENTS * team.share)));
      for (const agentId of members) await hub.db.query('INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2)', [id, agentId]);
    }

    const assignedAt = new Map<string, number>();
    await Promise.all(
      agentIds.map(async (agentId) => {
        const socket = io(`${hub.url}/agents`, { auth: { token: issueAgentToken(config.secretKey, agentId) }, transports: ['websocket'], reconnection: false });
        consoles.push(socket);
        socket.on('conversation:assigned', (conversation: { id: string }) => {
          if (!assignedAt.has(conversation.id)) assignedAt.set(conversation.id, performance.now());
        });
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', reject);
        });
      }),
    );
    // Presence is written as the consoles connect; give the last writes a moment to land.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const arrivedAt = new Map<string, number>();
    const burstStarted = performance.now();
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, index) => {
        const started = performance.now();
        const { conversation } = await ingest(hub.domain, {
          channel: 'chat',
          identities: [{ kind: 'visitor', value: `vis_bench_${index}` }],
          clientId: `bench-${index}`,
          body: texts[(index * 37) % texts.length]!,
        });
        arrivedAt.set(conversation.id, started);
      }),
    );
    const ingestSeconds = (performance.now() - burstStarted) / 1000;
    const deadline = Date.now() + ASSIGNMENT_TIMEOUT_MS;
    while (assignedAt.size < CONVERSATIONS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const allAssignedSeconds = (performance.now() - burstStarted) / 1000;

    const latencies = [...arrivedAt].flatMap(([conversationId, started]) => {
      const assigned = assignedAt.get(conversationId);
      return assigned === undefined ? [] : [assigned - started];
    });
    const [classified] = await hub.db.query<{ classified: number; unknown: number; overCapacity: number }>(
      `SELECT count(*) FILTER (WHERE classified_at IS NOT NULL)::int AS classified,
              count(*) FILTER (WHERE intent = 'unknown')::int AS unknown,
              (SELECT count(*)::int FROM (SELECT assignee_id FROM conversations WHERE assignee_id IS NOT NULL
                 GROUP BY assignee_id HAVING count(*) > $1) AS over) AS "overCapacity"
         FROM conversations`,
      [capacity],
    );
    const results = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
      classifier,
      burst: {
        conversations: CONVERSATIONS,
        agentsOnline: AGENTS,
        agentCapacity: capacity,
        ingestSeconds: Math.round(ingestSeconds * 10) / 10,
        assigned: latencies.length,
        classified: classified!.classified,
        classifiedUnknown: classified!.unknown,
        agentsOverCapacity: classified!.overCapacity,
        allAssignedSeconds: Math.round(allAssignedSeconds * 10) / 10,
        classifiedAndRoutedPerSecond: Math.round(latencies.length / allAssignedSeconds),
        messageToAssignmentMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: percentile(latencies, 100) },
      },
      peakRssMiB: Math.round(peakRssBytes / 2 ** 20),
    };
    console.log(JSON.stringify(results, null, 2));
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
    if (latencies.length < CONVERSATIONS) throw new Error(`only ${latencies.length} of ${CONVERSATIONS} conversations were assigned`);
  } finally {
    clearInterval(sampler);
    for (const socket of consoles) socket.disconnect();
    await stop();
  }
}

/** The shipped model over the data set's messages, one after another in this process. */
function measureClassifier(texts: string[]) {
  const model = readIntentModel(SHIPPED_INTENT_MODEL);
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < CLASSIFIER_SAMPLES; i++) {
    const began = performance.now();
    classifyMessage(model, texts[i % texts.length]!, { threshold: 0.5 });
    latencies.push(performance.now() - began);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    samples: CLASSIFIER_SAMPLES,
    perSecond: Math.round(CLASSIFIER_SAMPLES / seconds),
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
