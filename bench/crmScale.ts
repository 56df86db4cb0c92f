import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingest } from '../server/domain/ingest';
import type { Hub } from '../server/hub';
import { percentile } from './percentiles';
import { startScratchHub } from './scratchStorage';

/**
 * The CRM at scale: loads BENCH_CUSTOMERS customers and BENCH_EVENTS timeline events (with the
 * conversations and messages behind them), then measures over HTTP how long a timeline page of 50
 * events and a customer search take, and how many timeline events per second the one ingest path
 * writes. The hub runs in this process, without workers.
 */
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000_000);
const MESSAGES_PER_CUSTOMER = 5;
// One customer in a hundred is a long-standing one with a long history, as in real CRMs.
const HEAVY_EVERY = 100;
const HEAVY_EVENTS = 500;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const INGEST_MESSAGES = Number(process.env.BENCH_INGEST_MESSAGES ?? 10_000);
const INGEST_CONCURRENCY = 16;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RESULTS_FILE = path.resolve(__dirname, 'results/crm-scale.json');

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Linus', 'Wei', 'Mei', 'Hiro', 'Yuki', 'Olga', 'Ivan', 'Amara', 'Kofi', 'Lucia', 'Mateo', 'Noor', 'Omar', 'Priya', 'Ravi', 'Sofia', 'Tomas'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Zhang', 'Wang', 'Tanaka', 'Sato', 'Petrova', 'Ivanov', 'Okafor', 'Mensah', 'Garcia', 'Rossi', 'Haddad', 'Khan', 'Patel', 'Singh', 'Silva', 'Novak'];
const WORDS = ['order', 'parcel', 'invoice', 'refund', 'password', 'account', 'delivery', 'late', 'broken', 'charged', 'twice', 'address', 'cancel', 'subscription', 'coupon', 'warranty', 'size', 'colour', 'return', 'label', 'tracking', 'courier', 'payment', 'card', 'login', 'email', 'newsletter', 'discount', 'exchange', 'damaged'];
const OTHER_KINDS = ['order.placed', 'campaign.sent', 'campaign.opened', 'campaign.clicked', 'note.added', 'form.submitted', 'conversation.assigned', 'conversation.resolved', 'message.sent'];

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(',')}]`;

async function main(): Promise<void> {
  const { hub, config, stop } = await startScratchHub({ postgres: POSTGRES_URL, redis: REDIS_URL }, {}, { workers: false });
  let peakRssBytes = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss)), 100);
  try {
    const loadStarted = performance.now();
    await load(hub.db);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const [counts] = await hub.db.query<{ customers: number; events: number; messages: number }>(
      'SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM timeline_events)::int AS events, (SELECT count(*) FROM messages)::int AS messages',
    );
    console.log(`loaded ${counts!.customers} customers, ${counts!.events} timeline events, ${counts!.messages} messages in ${loadSeconds.toFixed(1)} s`);

    const token = await signIn(hub.url, config.adminEmail);
    const api = (pathAndQuery: string) => timedGet(`${hub.url}${pathAndQuery}`, token);
    const randomCustomer = () => `cus_b${String(1 + Math.floor(Math.random() * CUSTOMERS)).padStart(21, '0')}`;

    const timelineFirst: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const customerId = randomCustomer();
      const first = await api(`/api/customers/${customerId}/timeline?limit=50`);
      if (first.body.items.length === 0) throw new Error(`the timeline of ${customerId} is empty`);
      timelineFirst.push(first.ms);
    }
    // The long histories, walked five pages deep with the cursor.
    const timelineDeep: number[] = [];
    for (let i = 0; i < SAMPLES / 5; i++) {
      const customerId = `cus_b${String(HEAVY_EVERY * (1 + Math.floor(Math.random() * (CUSTOMERS / HEAVY_EVERY)))).padStart(21, '0')}`;
      let cursor = '';
      for (let pageNumber = 0; pageNumber < 5; pageNumber++) {
        const page = await api(`/api/customers/${customerId}/timeline?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
        if (page.body.items.length !== 50) throw new Error(`page ${pageNumber + 1} of ${customerId} has ${page.body.items.length} events`);
        timelineDeep.push(page.ms);
        cursor = page.body.nextCursor;
      }
    }
    const timelineFiltered: number[] = [];
    for (let i = 0; i < SAMPLES; i++) timelineFiltered.push((await api(`/api/customers/${randomCustomer()}/timeline?limit=50&kind=message,order`)).ms);

    const searches: Record<string, () => string> = {
      'full text, a common word': () => `q=${WORDS[Math.floor(Math.random() * WORDS.length)]}`,
      'full text, two words': () => `q=${WORDS[Math.floor(Math.random() * WORDS.length)]}+${WORDS[Math.floor(Math.random() * WORDS.length)]}`,
      'full text, a name': () => `q=${LAST_NAMES[Math.floor(Math.random() * LAST_NAMES.length)]}`,
      'email prefix': () => `q=user${Math.floor(Math.random() * CUSTOMERS)}@`,
      'exact email': () => `email=user${Math.floor(Math.random() * CUSTOMERS)}@bench.example`,
      'tag, by lifetime value': () => 'tag=vip&sort=-lifetimeValue',
      'attribute filter': () => `attr.plan=${['free', 'pro', 'gold'][Math.floor(Math.random() * 3)]}`,
    };
    const searchLatencies: Record<string, { p50: number | null; p99: number | null }> = {};
    const allSearches: number[] = [];
    for (const [name, query] of Object.entries(searches)) {
      const samples: number[] = [];
      for (let i = 0; i < Math.ceil(SAMPLES / 3); i++) samples.push((await api(`/api/customers?limit=25&${query()}`)).ms);
      allSearches.push(...samples);
      searchLatencies[name] = { p50: percentile(samples, 50), p99: percentile(samples, 99) };
    }

    const ingestResult = await measureIngest(hub);

    const results = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
      data: { customers: counts!.customers, timelineEvents: counts!.events, messages: counts!.messages, bulkLoadSeconds: Math.round(loadSeconds * 10) / 10 },
      timelinePageMs: {
        first: { p50: percentile(timelineFirst, 50), p99: percentile(timelineFirst, 99) },
        longHistoryFivePagesDeep: { p50: percentile(timelineDeep, 50), p99: percentile(timelineDeep, 99) },
        filteredByKind: { p50: percentile(timelineFiltered, 50), p99: percentile(timelineFiltered, 99) },
        samples: SAMPLES,
      },
      customerSearchMs: { all: { p50: percentile(allSearches, 50), p99: percentile(allSearches, 99) }, ...searchLatencies },
      ingest: ingestResult,
      peakRssMiB: Math.round(peakRssBytes / 2 ** 20),
    };
    console.log(JSON.stringify(results, null, 2));
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    clearInterval(sampler);
    await stop();
  }
}

/** Bulk rows straight into the tables, set-based: the shapes the hub writes, spread over two years. */
async function load(db: Hub['db']): Promise<void> {
  const heavyCustomers = Math.floor(CUSTOMERS / HEAVY_EVERY);
  const lightEvents = Math.max(1 + MESSAGES_PER_CUSTOMER, Math.round((EVENTS - heavyCustomers * HEAVY_EVENTS) / (CUSTOMERS - heavyCustomers)));
  const eventsOf = `(CASE WHEN i % ${HEAVY_EVERY} = 0 THEN ${HEAVY_EVENTS} ELSE ${lightEvents} END)`;
  const id = (prefix: string, expression: string) => `'${prefix}_b' || lpad((${expression})::text, 21, '0')`;
  const step = async (label: string, sql: string) => {
    const started = performance.now();
    await db.exec(sql);
    console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  await step(
    'customers',
    `INSERT INTO customers (id, name, attributes, tags, order_count, lifetime_value, currency, last_order_at, created_at, updated_at)
     SELECT ${id('cus', 'i')},
            (${sqlArray(FIRST_NAMES)})[1 + i % ${FIRST_NAMES.length}] || ' ' || (${sqlArray(LAST_NAMES)})[1 + (i / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}],
            jsonb_build_object('plan', (ARRAY['free','pro','gold'])[1 + i % 3], 'seats', i % 50),
            CASE WHEN i % 10 = 0 THEN ARRAY['vip'] ELSE ARRAY['newsletter'] END,
            i % 7, (i % 997) * 3.5, 'EUR', now() - (i % 700) * interval '1 day',
            now() - interval '2 years' + (i % 600) * interval '1 day', now()
       FROM generate_series(1, ${CUSTOMERS}) AS i`,
  );
  await step(
    'identities',
    `INSERT INTO customer_identities (id, customer_id, kind, value)
     SELECT ${id('idn', 'i')}, ${id('cus', 'i')}, 'email', 'user' || i || '@bench.example' FROM generate_series(1, ${CUSTOMERS}) AS i`,
  );
  await step(
    'conversations',
    `INSERT INTO conversations (id, customer_id, channel, status, subject, last_message_at, created_at, updated_at)
     SELECT ${id('cnv', 'i')}, ${id('cus', 'i')}, (ARRAY['chat','email','form'])[1 + i % 3], (ARRAY['open','resolved'])[1 + i % 2],
            'Question ' || i, now() - (i % 600) * interval '1 day', now() - (i % 600) * interval '1 day', now()
       FROM generate_series(1, ${CUSTOMERS}) AS i`,
  );
  await step(
    'messages',
    `INSERT INTO messages (id, conversation_id, customer_id, channel, direction, author_kind, author_id, body, created_at)
     SELECT ${id('msg', `i * ${MESSAGES_PER_CUSTOMER} + m`)}, ${id('cnv', 'i')}, ${id('cus', 'i')}, (ARRAY['chat','email','form'])[1 + i % 3],
            'inbound', 'customer', ${id('cus', 'i')},
            'My ' || (${sqlArray(WORDS)})[1 + (i * 7 + m) % ${WORDS.length}] || ' ' || (${sqlArray(WORDS)})[1 + (i * 13 + m * 3) % ${WORDS.length}]
              || ' number ' || (i * 31 + m) || ' is still a problem, please help',
            now() - (i % 600) * interval '1 day' + m * interval '1 minute'
       FROM generate_series(1, ${CUSTOMERS}) AS i, generate_series(0, ${MESSAGES_PER_CUSTOMER - 1}) AS m`,
  );
  await step(
    'timeline events',
    `INSERT INTO timeline_events (id, customer_id, at, kind, reference, data)
     SELECT ${id('evt', `i * ${HEAVY_EVENTS} + e`)}, ${id('cus', 'i')},
            now() - (i % 600) * interval '1 day' + e * interval '1 hour',
            CASE WHEN e = 0 THEN 'conversation.opened'
                 WHEN e <= ${MESSAGES_PER_CUSTOMER} THEN 'message.received'
                 ELSE (${sqlArray(OTHER_KINDS)})[1 + (i + e) % ${OTHER_KINDS.length}] END,
            CASE WHEN e = 0 THEN ${id('cnv', 'i')} WHEN e <= ${MESSAGES_PER_CUSTOMER} THEN ${id('msg', `i * ${MESSAGES_PER_CUSTOMER} + e - 1`)} ELSE NULL END,
            jsonb_build_object('n', e)
       FROM generate_series(1, ${CUSTOMERS}) AS i, LATERAL generate_series(0, ${eventsOf} - 1) AS e`,
  );
  await step('analyze', 'ANALYZE');
}

/** New customers chatting through ingest(), INGEST_CONCURRENCY at a time: timeline events written per second. */
async function measureIngest(hub: Hub) {
  const [{ before }] = (await hub.db.query<{ before: number }>('SELECT count(*)::int AS before FROM timeline_events')) as [{ before: number }];
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: INGEST_CONCURRENCY }, async () => {
      while (next < INGEST_MESSAGES) {
        const index = next++;
        const began = performance.now();
        await ingest(hub.domain, {
          channel: 'chat',
          identities: [{ kind: 'visitor', value: `vis_bench_${index % (INGEST_MESSAGES / 5)}` }],
          clientId: randomUUID(),
          body: `Where is my ${WORDS[index % WORDS.length]} number ${index}?`,
        });
        latencies.push(performance.now() - began);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const [{ after }] = (await hub.db.query<{ after: number }>('SELECT count(*)::int AS after FROM timeline_events')) as [{ after: number }];
  return {
    messages: INGEST_MESSAGES,
    concurrency: INGEST_CONCURRENCY,
    timelineEventsWritten: after - before,
    eventsPerSecond: Math.round((after - before) / seconds),
    messagesPerSecond: Math.round(INGEST_MESSAGES / seconds),
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
  };
}

async function signIn(url: string, email: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'bench-password' }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

async function timedGet(url: string, token: string): Promise<{ ms: number; body: any }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.json();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${JSON.stringify(body)}`);
  return { ms, body };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
