import type Router from '@koa/router';
import type { Context } from 'koa';
import { recordClick, recordOpen, unsubscribe, unsubscribeTarget } from '../../domain/campaignTracking';
import type { HttpDeps } from '../deps';
import { rawBody } from '../requestBody';

// A transparent 1x1 GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
// RFC 8058's body is `List-Unsubscribe=One-Click`; anything much larger is not a mail client.
const UNSUBSCRIBE_BODY_LIMIT = 4096;

/**
 * The links in campaign mail, public and without a session: the open pixel, tracked clicks and
 * unsubscribing. Each token is signed; a forged or altered one records nothing and gets 404.
 */
export function campaignTrackingRoutes(router: Router, deps: HttpDeps): void {
  router.get('/t/o/:token.gif', async (ctx) => {
    // Always the image: a mail program shows a broken picture for anything else.
    await recordOpen(deps.domain, deps.secretKey, ctx.params.token!);
    ctx.set('Cache-Control', 'no-store, private');
    ctx.type = 'image/gif';
    ctx.body = PIXEL;
  });

  router.get('/t/c/:token', async (ctx) => {
    const url = await recordClick(deps.domain, deps.secretKey, ctx.params.token!);
    if (!url) return notFound(ctx);
    ctx.set('Cache-Control', 'no-store, private');
    ctx.redirect(url);
  });

  // A GET only asks: link scanners fetch every URL in a message and must not unsubscribe anyone.
  router.get('/u/:token', async (ctx) => {
    const target = await unsubscribeTarget(deps.domain.db, deps.secretKey, ctx.params.token!);
    if (!target) return notFound(ctx);
    page(
      ctx,
      200,
      'Unsubscribe',
      `<p>Stop sending campaign emails to <strong>${escapeHtml(target.email)}</strong>?</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
    );
  });

  // RFC 8058 one-click (the mail program posts List-Unsubscribe=One-Click) and the page's button.
  router.post('/u/:token', rawBody(UNSUBSCRIBE_BODY_LIMIT), async (ctx) => {
    const done = await unsubscribe(deps.domain, deps.secretKey, ctx.params.token!);
    if (!done) return notFound(ctx);
    page(ctx, 200, 'Unsubscribed', `<p><strong>${escapeHtml(done.email)}</strong> will get no more campaign emails.</p>`);
  });
}

export function notFound(ctx: Context): void {
  page(ctx, 404, 'Link not valid', '<p>This link is not valid. It may have been copied incompletely.</p>');
}

/** A plain page for people following a link in a campaign email. */
export function page(ctx: Context, status: number, title: string, body: string): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store, private');
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${title}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}</style></head>
<body><h1>${title}</h1>${body}</body></html>`;
}

const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
