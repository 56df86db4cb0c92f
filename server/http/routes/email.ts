import { createReadStream } from 'node:fs';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { storedFilePath } from '../../channels/email/attachmentStore';
import { receiveEmail } from '../../channels/email/receive';
import { getAttachment } from '../../domain/attachments';
import { constantTimeEqual } from '../../domain/constantTimeEqual';
import { HubError } from '../../domain/errors';
import { requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { rawBody } from '../requestBody';

export function emailRoutes(router: Router, deps: HttpDeps): void {
  const { email } = deps;

  /** A provider's inbound webhook or an IMAP fetcher hands over one raw RFC 822 message. */
  router.post('/api/inbound/email', checkApiKey(deps), rawBody(email.maxMessageBytes), async (ctx) => {
    const raw = ctx.request.body as Buffer;
    const recipients = [ctx.query.to].flat().filter((value): value is string => typeof value === 'string');
    const outcome = await receiveEmail({ domain: deps.domain, email, log: deps.log }, raw, { recipients });
    if (outcome.kind === 'ingested') {
      const { message, conversation, customer, duplicate } = outcome.result;
      ctx.status = duplicate ? 200 : 201;
      ctx.body = { outcome: 'ingested', duplicate, messageId: message.id, conversationId: conversation.id, customerId: customer.id };
    } else {
      ctx.status = 202;
      ctx.body = outcome.kind === 'bounce' ? { outcome: 'bounce', messageId: outcome.messageId ?? null } : { outcome: 'ignored', reason: outcome.reason };
    }
  });

  /** An attachment's bytes, to signed-in agents only. */
  router.get('/api/attachments/:id', requireAgent(deps), async (ctx) => {
    const attachment = await getAttachment(deps.domain.db, ctx.params.id!);
    ctx.set('Content-Type', attachment.contentType);
    ctx.set('Content-Length', String(attachment.size));
    // Never rendered inline: an HTML or SVG attachment must not run in the hub's origin.
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.body = createReadStream(storedFilePath(email.filesDir, attachment.storageKey));
  });
}

function checkApiKey(deps: HttpDeps): Middleware {
  return async (ctx, next) => {
    const expected = deps.email.inboundApiKey;
    if (!expected) throw new HubError('inbound_email_disabled', 'Inbound email over HTTP is off; set INBOUND_EMAIL_API_KEY');
    const given = ctx.get('x-api-key') || ctx.get('authorization').replace(/^Bearer\s+/i, '');
    if (!constantTimeEqual(given, expected)) throw new HubError('unauthorized', 'A valid API key is required');
    await next();
  };
}
