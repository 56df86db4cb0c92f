import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Context, Middleware } from 'koa';
import { HubError } from '../domain/errors';

/** Where `npm run build:admin` writes the agent console, from the repository root. */
export const ADMIN_CONSOLE_DIR = path.resolve(__dirname, '../../admin/dist');

const PREFIX = '/admin';
// Vite names these after their content: a changed file is a new name, so browsers keep them for good.
const ASSETS = 'assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const COMPRESSIBLE = /\.(html|js|mjs|css|svg|json|txt|map|webmanifest)$/;
const GZIP_MIN_BYTES = 1024;

const gzip = promisify(gzipCallback);

type StaticFile = { version: string; content: Buffer; gzipped: Buffer | undefined; etag: string };

/**
 * Serves the built console at /admin: its files as they are, and index.html for every other path
 * under it, so the console's own routes (/admin/inbox/mine) survive a reload. A file is read (and
 * gzipped) once per build: a rebuild is picked up on the next request.
 */
export function adminConsole(dir = ADMIN_CONSOLE_DIR): Middleware {
  const root = path.resolve(dir);
  const cache = new Map<string, StaticFile>();
  const load = async (file: string): Promise<StaticFile | undefined> => {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const version = `${info.mtimeMs}:${info.size}`;
    const cached = cache.get(file);
    if (cached?.version === version) return cached;
    const content = await readFile(file);
    const gzipped = COMPRESSIBLE.test(file) && content.length >= GZIP_MIN_BYTES ? await gzip(content) : undefined;
    const loaded = { version, content, gzipped, etag: createHash('sha256').update(content).digest('base64url').slice(0, 27) };
    cache.set(file, loaded);
    return loaded;
  };

  return async (ctx, next) => {
    if (ctx.path !== PREFIX && !ctx.path.startsWith(`${PREFIX}/`)) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      throw new HubError('method_not_allowed', `${ctx.method} is not allowed here; use GET`);
    }
    const index = await load(path.join(root, 'index.html'));
    if (!index) return plainText(ctx, 503, 'The agent console is not built; run npm run build:admin');
    const relative = decodedPath(ctx.path.slice(PREFIX.length + 1));
    const name = relative && insideRoot(root, relative);
    const file = name ? await load(name) : undefined;
    if (file) return send(ctx, file, name!, relative.startsWith(ASSETS) ? IMMUTABLE : 'no-cache');
    // A missing hashed file is an old page asking for a previous build, never a console route.
    if (relative.startsWith(ASSETS)) return plainText(ctx, 404, 'No such file in the agent console; reload the page');
    send(ctx, index, 'index.html', 'no-cache');
  };
}

function decodedPath(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new HubError('validation_failed', 'The path is not valid percent-encoding');
  }
}

/** The file a path names inside root; none for a path that could leave it or names a hidden file. */
function insideRoot(root: string, relative: string): string | undefined {
  const segments = relative.split('/');
  if (segments.some((segment) => segment.startsWith('.') || segment.includes('\\') || segment.includes('\0'))) return undefined;
  const file = path.join(root, ...segments);
  return file.startsWith(`${root}${path.sep}`) ? file : undefined;
}

function send(ctx: Context, file: StaticFile, name: string, cacheControl: string): void {
  const gzipped = file.gzipped && ctx.acceptsEncodings('gzip', 'identity') === 'gzip' ? file.gzipped : undefined;
  if (file.gzipped) ctx.vary('Accept-Encoding');
  ctx.set('Cache-Control', cacheControl);
  ctx.set('X-Content-Type-Options', 'nosniff');
  // The console holds an agent's token: no other site may frame it.
  if (name.endsWith('.html')) ctx.set('Content-Security-Policy', "frame-ancestors 'none'");
  ctx.status = 200;
  ctx.etag = gzipped ? `"${file.etag}-gz"` : `"${file.etag}"`;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.type = path.extname(name);
  if (gzipped) ctx.set('Content-Encoding', 'gzip');
  ctx.body = gzipped ?? file.content;
}

function plainText(ctx: Context, status: number, text: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'text/plain';
  ctx.body = `${text}\n`;
}
