import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ingest } from '../server/domain/ingest';
import { openBrowser } from '../test/e2e/support/browser';
import { percentile } from './percentiles';
import { startScratchHub } from './scratchStorage';

/**
 * The agent console's weight and first paint of a busy inbox: the built JavaScript and CSS
 * gzipped, and in headless Chromium the time from navigation to the inbox list showing its
 * first conversations (and the view counts) with OPEN_CONVERSATIONS open conversations, on a
 * first visit (empty cache) and on later loads (BENCH_LOADS).
 */
const OPEN_CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 1000);
const LOADS = Number(process.env.BENCH_LOADS ?? 20);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_DIST = path.resolve(__dirname, '../admin/dist');
const RESULTS_FILE = path.resolve(__dirname, 'results/console-inbox.json');
const PASSWORD = 'bench-password';

const round = (value: number) => Math.round(value * 10) / 10;

function bundleSizes() {
  const assets = path.join(ADMIN_DIST, 'assets');
  const sizes = { js: { bytes: 0, gzippedBytes: 0 }, css: { bytes: 0, gzippedBytes: 0 } };
  for (const file of readdirSync(assets)) {
    const kind = file.endsWith('.js') ? 'js' : file.endsWith('.css') ? 'css' : null;
    if (!kind) continue;
    const content = readFileSync(path.join(assets, file));
    sizes[kind].bytes += content.length;
    sizes[kind].gzippedBytes += gzipSync(content, { level: 9 }).length;
  }
  return sizes;
}

async function main(): Promise<void> {
  const bundle = bundleSizes();
  console.log(`console JS ${bundle.js.bytes} bytes, ${bundle.js.gzippedBytes} gzipped; CSS ${bundle.css.gzippedBytes} gzipped`);

  // No workers: the conversations stay open and unassigned, the heaviest "all" view.
  const { hub, config, stop } = await startScratchHub({ postgres: POSTGRES_URL, redis: REDIS_URL }, { ADMIN_PASSWORD: PASSWORD }, { workers: false });
  const browser = await openBrowser();
  try {
    const seeding = performance.now();
    for (let batch = 0; batch < OPEN_CONVERSATIONS; batch += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, OPEN_CONVERSATIONS - batch) }, (_, offset) =>
          ingest(hub.domain, {
            channel: 'chat',
            identities: [{ kind: 'visitor', value: `vis_console_bench_${batch + offset}` }],
            customerName: `Customer ${batch + offset}`,
            clientId: `console-bench-${batch + offset}`,
            body: `Where is my order ${10_000 + batch + offset}? It was due last week and the tracking page shows nothing.`,
          }),
        ),
      );
    }
    console.log(`seeded ${OPEN_CONVERSATIONS} open conversations in ${round((performance.now() - seeding) / 1000)} s`);

    const loginResponse = await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: config.adminEmail, password: PASSWORD }),
    });
    const session = await loginResponse.json();
    // Signed in before the page loads, as an agent returning to the console is.
    // The page notes when the list shows its first conversations and the view counts (browser code, as text).
    await browser.context.addInitScript({
      content: `localStorage.setItem('hub.session', ${JSON.stringify(JSON.stringify(session))});
        new MutationObserver((_, observer) => {
          if (window.__inboxShown === undefined && document.querySelector('[data-testid=conversation-item]') && document.querySelector('[data-testid=view-count]')) {
            window.__inboxShown = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true, characterData: true });`,
    });

    const samples: number[] = [];
    let rows = 0;
    for (let load = 0; load <= LOADS; load++) {
      const tab = await browser.context.newPage();
      await tab.setViewportSize({ width: 1280, height: 800 });
      await tab.goto(`${hub.url}/admin/inbox/all`);
      await tab.waitForFunction(() => (globalThis as unknown as { __inboxShown?: number }).__inboxShown !== undefined, undefined, { timeout: 30_000 });
      samples.push(await tab.evaluate(() => (globalThis as unknown as { __inboxShown: number }).__inboxShown));
      rows = await tab.getByTestId('conversation-item').count();
      await tab.close();
    }
    const [firstVisit, ...later] = samples;
    const results = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
      openConversations: OPEN_CONVERSATIONS,
      bundle: {
        jsGzippedKiB: round(bundle.js.gzippedBytes / 1024),
        cssGzippedKiB: round(bundle.css.gzippedBytes / 1024),
        jsBytes: bundle.js.bytes,
      },
      navigationToInboxShownMs: {
        rowsRenderedFirstPage: rows,
        firstVisit: round(firstVisit!),
        later: { loads: later.length, p50: percentile(later, 50), p99: percentile(later, 99) },
      },
    };
    console.log(JSON.stringify(results, null, 2));
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await browser.close();
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
