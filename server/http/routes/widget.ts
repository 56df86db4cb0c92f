import { createReadStream } from 'node:fs';
import type Router from '@koa/router';
import { storedFilePath, storeFiles } from '../../channels/email/attachmentStore';
import { parseSubmission } from '../../channels/forms/parseSubmission';
import { getCustomerChatAttachment, insertAttachments } from '../../domain/attachments';
import { isWithinBusinessHours } from '../../domain/businessHours';
import { HubError } from '../../domain/errors';
import { customerOfVisitor } from '../../domain/visitors';
import { listWidgetSettings, saveWidgetSettings, widgetSettingsFor } from '../../domain/widgetSettings';
import { presenceReader } from '../../realtime/presence';
import { requireAdmin, requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { jsonBody } from '../requestBody';
import { widgetBundle } from '../widgetBundle';

// Room for the multipart boundary and part headers around the one file.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
// Shown inline in the chat; every other type is only ever a download.
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The website widget: its script, its settings, and the files visitors send in chat. */
export function widgetRoutes(router: Router, deps: HttpDeps): void {
  const { db } = deps.domain;
  const presence = presenceReader(deps.redis, deps.redisPrefix);
  const auth = requireAgent(deps);
  const bundle = widgetBundle();

  router.get('/widget.js', async (ctx) => {
    const script = await bundle.read();
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.status = 200;
    ctx.etag = script.etag;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = script.content;
    ctx.set('Content-Type', 'application/javascript; charset=utf-8');
  });

  router.get('/api/widget/settings', async (ctx) => {
    const key = typeof ctx.query.key === 'string' ? ctx.query.key : undefined;
    const { updatedAt: _updatedAt, ...settings } = await widgetSettingsFor(db, key);
    const hours = deps.domain.settings.sla.businessHours;
    const withinBusinessHours = hours ? isWithinBusinessHours(deps.domain.now(), hours) : true;
    const agentsOnline = (await presence.available()).length;
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      ...settings,
      availability: { online: withinBusinessHours && agentsOnline > 0, agentsOnline, withinBusinessHours },
      limits: { messageMaxLength: deps.domain.settings.messageMaxLength, attachmentMaxBytes: deps.email.attachmentMaxBytes },
    };
  });

  const adminOnly = requireAdmin('Only admins may change the widget');

  router.get('/api/admin/widget/settings', auth, adminOnly, async (ctx) => {
    ctx.body = { items: await listWidgetSettings(db) };
  });

  router.put('/api/admin/widget/settings/:key', auth, adminOnly, jsonBody(), async (ctx) => {
    ctx.body = await saveWidgetSettings(db, ctx.params.key!, ctx.request.body, deps.domain.now());
  });

  /** CORS preflight: X-Visitor-Id is not a header browsers send without asking. */
  router.options('/api/widget/attachments', (ctx) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Allow-Methods', 'POST');
    ctx.set('Access-Control-Allow-Headers', 'Content-Type, X-Visitor-Id');
    ctx.set('Access-Control-Max-Age', '600');
    ctx.status = 204;
  });

  router.post('/api/widget/attachments', async (ctx) => {
    ctx.set('Access-Control-Allow-Origin', '*');
    const customerId = await visitorCustomer(deps, ctx.get('x-visitor-id'));
    if (!ctx.is('multipart/form-data')) throw new HubError('unsupported_media_type', 'Upload the file as multipart/form-data in the field "file"');
    const maxFileBytes = deps.email.attachmentMaxBytes;
    const { files } = await parseSubmission(ctx.req, ctx.headers, {
      maxBytes: maxFileBytes + MULTIPART_OVERHEAD_BYTES,
      maxFileBytes,
      maxFiles: 1,
      maxFields: 10,
      maxFieldNameLength: 100,
      maxFieldChars: 1000,
    });
    const file = files[0];
    if (!file || file.field !== 'file') throw new HubError('validation_failed', 'Send one file in the field "file"');
    const stored = await storeFiles(deps.email.filesDir, [{ filename: file.filename, contentType: file.contentType, content: file.content, contentId: undefined }]);
    const [attachment] = await insertAttachments(db, { uploadedByCustomerId: customerId }, stored);
    ctx.status = 201;
    ctx.body = attachment;
  });

  router.get('/api/widget/attachments/:id', async (ctx) => {
    const visitorId = typeof ctx.query.visitorId === 'string' ? ctx.query.visitorId : '';
    const customerId = visitorId ? await customerOfVisitor(db, visitorId) : undefined;
    if (!customerId) throw new HubError('attachment_not_found', `No attachment ${ctx.params.id}`);
    const attachment = await getCustomerChatAttachment(db, customerId, ctx.params.id!);
    const disposition = INLINE_IMAGE_TYPES.has(attachment.contentType.toLowerCase()) ? 'inline' : 'attachment';
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Content-Type', attachment.contentType);
    ctx.set('Content-Length', String(attachment.size));
    ctx.set('Content-Disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`);
    // Whatever the file claims to be, it never runs as a page in the hub's origin.
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.body = createReadStream(storedFilePath(deps.email.filesDir, attachment.storageKey));
  });
}

async function visitorCustomer(deps: HttpDeps, visitorId: string): Promise<string> {
  const customerId = visitorId ? await customerOfVisitor(deps.domain.db, visitorId) : undefined;
  if (!customerId) throw new HubError('unauthorized', 'Send the visitor id of a widget session in X-Visitor-Id');
  return customerId;
}
