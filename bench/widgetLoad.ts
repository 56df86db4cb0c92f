import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { openBrowser } from '../test/e2e/support/browser';
import { percentile } from './percentiles';
import { startScratchHub } from './scratchStorage';

/**
 * The widget's weight and how fast it is usable: widget.js gzipped, and in headless Chromium the
 * time from the page inserting the script tag to the launcher being on screen and clickable, for a
 * first visit (empty cache) and for later page loads (BENCH_LOADS).
 */
const LOADS = Number(process.env.BENCH_LOADS ?? 30);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WIDGET_FILE = path.resolve(__dirname, '../widget/dist/widget.js');
const RESULTS_FILE = path.resolve(__dirname, 'results/widget-load.json');

async function main(): Promise<void> {
  const bundle = readFileSync(WIDGET_FILE);
  const gzippedBytes = gzipSync(bundle, { level: 9 }).length;
  console.log(`widget.js: ${bundle.length} bytes, ${gzippedBytes} gzipped`);

  const { hub, stop } = await startScratchHub({ postgres: POSTGRES_URL, redis: REDIS_URL }, {}, { workers: false });
  // The page times from inserting the script to the launcher answering a click: what a visitor waits for.
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body><h1>Shop</h1>
<script>
  window.SupportHub = window.SupportHub || [];
  window.SupportHub.push(['on', 'ready', function () { window.__widgetReady = performance.now(); }]);
  window.__scriptInserted = performance.now();
  var script = document.createElement('script');
  script.src = '${hub.url}/widget.js'; script.async = true; script.dataset.hub = '${hub.url}';
  document.body.appendChild(script);
</script></body></html>`;
  const host = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  const hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
  const browser = await openBrowser();
  try {
    const samples: number[] = [];
    for (let load = 0; load <= LOADS; load++) {
      const tab = await browser.context.newPage();
      await tab.goto(hostUrl);
      await tab.getByTestId('launcher').waitFor({ state: 'visible' });
      await tab.waitForFunction(() => (globalThis as unknown as { __widgetReady?: number }).__widgetReady !== undefined);
      samples.push(await tab.evaluate(() => {
        const timing = globalThis as unknown as { __widgetReady: number; __scriptInserted: number };
        return timing.__widgetReady - timing.__scriptInserted;
      }));
      await tab.close();
    }
    const [firstVisit, ...later] = samples;
    const results = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
      widgetJs: { bytes: bundle.length, gzippedBytes, gzippedKiB: Math.round((gzippedBytes / 1024) * 10) / 10 },
      scriptToUsableLauncherMs: {
        firstVisit: Math.round(firstVisit! * 10) / 10,
        later: { loads: later.length, p50: percentile(later, 50), p99: percentile(later, 99) },
      },
    };
    console.log(JSON.stringify(results, null, 2));
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await browser.close();
    await new Promise((resolve) => host.close(resolve));
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
