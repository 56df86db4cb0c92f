import type Router from '@koa/router';
import type { Context } from 'koa';
import { type FormOutcome, receiveFormSubmission, submissionLimits } from '../../channels/forms/formInbound';
import { parseSubmission } from '../../channels/forms/parseSubmission';
import { HubError } from '../../domain/errors';
import { listFormSubmissions } from '../../domain/formSubmissions';
import { createForm, deleteForm, type Form, formInputSchema, formPatchSchema, getFormByKey, listForms, updateForm } from '../../domain/forms';
import { clientIdSchema } from '../../domain/messageInput';
import { parseInput } from '../../domain/parseInput';
import { requireAdmin, requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { enforceRateLimits } from '../rateLimit';
import { jsonBody } from '../requestBody';
import { pageQuery } from '../schemas';

const MAX_USER_AGENT_LENGTH = 500;

export function formRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);
  const { db } = deps.domain;

  /** CORS preflight: a page on an allowed origin may post with fetch. */
  router.options('/api/forms/:formKey', async (ctx) => {
    allowOrigin(ctx, await getFormByKey(db, ctx.params.formKey!));
    ctx.set('Access-Control-Allow-Methods', 'POST');
    ctx.set('Access-Control-Allow-Headers', 'Content-Type, Accept, Idempotency-Key');
    ctx.set('Access-Control-Max-Age', '600');
    ctx.status = 204;
  });

  /** A website's form posts here, from a browser or a server; no agent token. */
  router.post('/api/forms/:formKey', async (ctx) => {
    const form = await getFormByKey(db, ctx.params.formKey!);
    allowOrigin(ctx, form);
    const rateLimits = [
      { key: `form-ip:${ctx.ip}`, limit: deps.crm.formRateLimitPerIp },
      { key: `form:${form.id}`, limit: deps.crm.formRateLimitPerForm },
    ];
    await enforceRateLimits(ctx, deps, rateLimits, deps.domain.now());
    const idempotencyKey = ctx.get('idempotency-key');
    const clientId = idempotencyKey ? parseInput(clientIdSchema, idempotencyKey) : undefined;
    const limits = submissionLimits(form, {
      formMaxBytes: deps.crm.formMaxBytes,
      attachmentMaxBytes: deps.email.attachmentMaxBytes,
      attachmentsMaxCount: deps.email.attachmentsMaxCount,
      messageMaxLength: deps.domain.settings.messageMaxLength,
    });
    const submission = await parseSubmission(ctx.req, ctx.headers, limits);
    const outcome = await receiveFormSubmission({ domain: deps.domain, filesDir: deps.email.filesDir }, form, submission, {
      clientId,
      origin: ctx.get('origin') || null,
      ip: ctx.ip || null,
      userAgent: ctx.get('user-agent').slice(0, MAX_USER_AGENT_LENGTH) || null,
    });
    respond(ctx, form, outcome);
  });

  const adminOnly = requireAdmin('Only admins may change forms');

  router.get('/api/forms', auth, async (ctx) => {
    ctx.body = { items: await listForms(db) };
  });

  router.post('/api/forms', auth, adminOnly, jsonBody(), async (ctx) => {
    ctx.status = 201;
    ctx.body = await createForm(db, parseInput(formInputSchema, ctx.request.body));
  });

  // Agents address a form by the same key the public route uses: one path, one name.
  router.get('/api/forms/:formKey', auth, async (ctx) => {
    ctx.body = await getFormByKey(db, ctx.params.formKey!);
  });

  router.patch('/api/forms/:formKey', auth, adminOnly, jsonBody(), async (ctx) => {
    const form = await getFormByKey(db, ctx.params.formKey!);
    ctx.body = await updateForm(db, form.id, parseInput(formPatchSchema, ctx.request.body));
  });

  router.delete('/api/forms/:formKey', auth, adminOnly, async (ctx) => {
    const form = await getFormByKey(db, ctx.params.formKey!);
    await deleteForm(db, form.id);
    ctx.status = 204;
  });

  router.get('/api/forms/:formKey/submissions', auth, async (ctx) => {
    const page = parseInput(pageQuery, ctx.query);
    const form = await getFormByKey(db, ctx.params.formKey!);
    ctx.body = await listFormSubmissions(db, form.id, page);
  });
}

/**
 * Browsers post only from the form's allowed origins; a request without Origin comes from a
 * server or a script, which CORS does not concern, and is let through.
 */
function allowOrigin(ctx: Context, form: Form): void {
  ctx.vary('Origin');
  const origin = ctx.get('origin');
  if (!origin) return;
  if (!form.allowedOrigins.includes('*') && !form.allowedOrigins.includes(origin)) {
    throw new HubError('origin_not_allowed', `The form ${form.key} does not accept submissions from ${origin}`);
  }
  ctx.set('Access-Control-Allow-Origin', origin);
  ctx.set('Access-Control-Expose-Headers', 'Retry-After');
}

/** A plain HTML form post goes on to the form's page; fetch and JSON callers get the ids. */
function respond(ctx: Context, form: Form, outcome: FormOutcome): void {
  const wantsJson = ctx.request.type === 'application/json' || /\bapplication\/json\b/i.test(ctx.get('accept'));
  if (form.redirectUrl && !wantsJson) {
    ctx.status = 303;
    ctx.redirect(form.redirectUrl);
    return;
  }
  if (outcome.kind === 'dropped') {
    ctx.status = 201;
    ctx.body = { submissionId: null, customerId: null, conversationId: null, messageId: null };
    return;
  }
  const { submission, duplicate } = outcome.result;
  ctx.status = duplicate ? 200 : 201;
  ctx.body = {
    submissionId: submission.id,
    customerId: submission.customerId,
    conversationId: submission.conversationId,
    messageId: submission.messageId,
  };
}
