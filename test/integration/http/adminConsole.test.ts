import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type Koa from 'koa';
import request from 'supertest';
import { createHttpApp } from '../../../server/http/app';
import { createLogger } from '../../../server/log';
import { createQueueInspector } from '../../../server/operations/queueInspector';
import { connectRedis } from '../../../server/redis/connect';
import { startTestHub, type TestHub } from '../../support/hub';

/** The built agent console, served at /admin by the hub's HTTP app (here from a fixture build). */
let hub: TestHub;
let redis: Redis;
let dist: string;
let missing: string;

const INDEX = '<!doctype html><html><head><script type="module" src="/admin/assets/index-abc123.js"></script></head><body><div id="app"></div></body></html>\n';
const SCRIPT = `export const console = ${JSON.stringify('x'.repeat(4000))};\n`;
const STYLES = 'body { margin: 0 }\n';

function appServing(adminConsoleDir: string): Koa {
  return createHttpApp(
    {
      domain: hub.domain,
      secretKey: hub.config.secretKey,
      email: hub.config.email,
      crm: hub.config.crm,
      intentModels: { configuredFile: hub.config.workers.intentModelFile, dataDir: hub.config.dataDir },
      dataDir: hub.config.dataDir,
      redis,
      redisPrefix: hub.config.redisPrefix,
      operations: { queues: createQueueInspector(redis, hub.config.redisPrefix), metricsToken: undefined },
      log: createLogger(hub.config),
      readiness: { database: () => hub.db.query('SELECT 1'), redis: () => redis.ping() },
    },
    { publicUrl: hub.config.publicUrl, trustProxy: false, adminConsoleDir },
  );
}

let app: ReturnType<Koa['callback']>;
let unbuilt: ReturnType<Koa['callback']>;

beforeAll(async () => {
  hub = await startTestHub();
  redis = connectRedis({ url: hub.config.redisUrl! });
  const root = mkdtempSync(path.join(tmpdir(), 'admin-console-'));
  dist = path.join(root, 'dist');
  missing = path.join(root, 'not-built');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  writeFileSync(path.join(dist, 'index.html'), INDEX);
  writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(path.join(dist, 'assets', 'index-def456.css'), STYLES);
  writeFileSync(path.join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(dist, '.env'), 'SECRET=never-served');
  writeFileSync(path.join(root, 'outside.txt'), 'outside the console');
  app = appServing(dist).callback();
  unbuilt = appServing(missing).callback();
});
afterAll(async () => {
  redis.disconnect();
  rmSync(path.dirname(dist), { recursive: true, force: true });
  await hub.stop();
});

const get = (url: string) => request(app).get(url);

describe('the console page', () => {
  it.each(['/admin', '/admin/', '/admin/login', '/admin/inbox/mine/cnv_123', '/admin/settings/canned'])(
    'answers index.html to %s, never cached without asking',
    async (url) => {
      const response = await get(url);

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.text).toBe(INDEX);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    },
  );

  it('answers 304 to a browser that has the page already', async () => {
    const first = await get('/admin/inbox');
    const again = await get('/admin/inbox/all').set('if-none-match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('answers HEAD like GET, without the body', async () => {
    const response = await request(app).head('/admin/customers');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('answers 405 method_not_allowed to other methods', async () => {
    const response = await request(app).post('/admin/login').send({});
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    expect(response.body.error.code).toBe('method_not_allowed');
  });

  it('leaves paths that only start with "admin" to the API', async () => {
    const response = await get('/administrator');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});

describe('the console files', () => {
  it('serves hashed assets with their type and a year-long immutable cache', async () => {
    const script = await get('/admin/assets/index-abc123.js').set('accept-encoding', 'identity');
    const styles = await get('/admin/assets/index-def456.css');

    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.text).toBe(SCRIPT);
    expect(styles.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(styles.text).toBe(STYLES);
  });

  it('gzips what compresses to browsers that accept it', async () => {
    const response = await get('/admin/assets/index-abc123.js').set('accept-encoding', 'gzip, br');

    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(Number(response.headers['content-length'])).toBeLessThan(SCRIPT.length / 4);
    // supertest inflates it: what arrives is the file.
    expect(response.text).toBe(SCRIPT);
  });

  it('serves other files of the build, revalidated each time', async () => {
    const response = await get('/admin/favicon.svg');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('answers 404 to a hashed asset that is not there, never the page', async () => {
    const response = await get('/admin/assets/index-old999.js');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.text).not.toContain('<html');
  });

  it.each([
    '/admin/../outside.txt',
    '/admin/%2e%2e/outside.txt',
    '/admin/assets/%2e%2e/%2e%2e/outside.txt',
    '/admin/..%2foutside.txt',
    '/admin/..%5coutside.txt',
    '/admin/.env',
    '/admin/%2eenv',
    '/admin/index.html%00.js',
  ])('never serves a file outside the build or a hidden one: %s', async (url) => {
    const response = await request(app).get(url);
    expect(response.text).not.toContain('outside the console');
    expect(response.text).not.toContain('never-served');
    expect([200, 400, 404]).toContain(response.status);
    if (response.status === 200) expect(response.text).toBe(INDEX);
  });

  it('answers 400 to a path that is not valid percent-encoding', async () => {
    const response = await get('/admin/%E0%A4%A');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
  });
});

describe('a hub whose console is not built', () => {
  it.each(['/admin', '/admin/inbox/mine', '/admin/assets/index-abc123.js'])('answers 503 to %s, saying how to build it', async (url) => {
    const response = await request(unbuilt).get(url);
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.text).toContain('npm run build:admin');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('serves the console once it is built, without a restart', async () => {
    mkdirSync(missing);
    writeFileSync(path.join(missing, 'index.html'), INDEX);
    const response = await request(unbuilt).get('/admin');
    expect(response.status).toBe(200);
    expect(response.text).toBe(INDEX);
  });
});
