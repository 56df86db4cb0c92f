import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';
import { adminConsole } from './adminConsole';
import type { HttpDeps } from './deps';
import { errorResponses } from './errors';
import { openApiDocument } from './openapi';
import { authRoutes } from './routes/auth';
import { automationRoutes } from './routes/automations';
import { campaignRoutes } from './routes/campaigns';
import { campaignSendingRoutes } from './routes/campaignSending';
import { campaignTrackingRoutes } from './routes/campaignTracking';
import { cannedResponseRoutes } from './routes/cannedResponses';
import { conversationRoutes } from './routes/conversations';
import { customerCsvRoutes } from './routes/customerCsv';
import { customerRoutes } from './routes/customers';
import { emailRoutes } from './routes/email';
import { formRoutes } from './routes/forms';
import { healthRoutes } from './routes/health';
import { intentRoutes } from './routes/intents';
import { operationsRoutes } from './routes/operations';
import { orderRoutes } from './routes/orders';
import { segmentRoutes } from './routes/segments';
import { teamRoutes } from './routes/teams';
import { widgetRoutes } from './routes/widget';

// A proxy's request id is kept for log correlation only when it is plainly an id.
const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** The router with every HTTP route of the hub. */
export function createRouter(deps: HttpDeps, publicUrl: string): Router {
  const router = new Router();
  healthRoutes(router, deps);
  authRoutes(router, deps);
  conversationRoutes(router, deps);
  // Before customerRoutes: /api/customers/export and /import are not customer ids.
  customerCsvRoutes(router, deps);
  customerRoutes(router, deps);
  orderRoutes(router, deps);
  formRoutes(router, deps);
  intentRoutes(router, deps);
  teamRoutes(router, deps);
  cannedResponseRoutes(router, deps);
  segmentRoutes(router, deps);
  campaignRoutes(router, deps, publicUrl);
  campaignSendingRoutes(router, deps);
  // Public: the links inside campaign mail (open pixel, tracked clicks, unsubscribe).
  campaignTrackingRoutes(router, deps);
  // Automated campaigns, and (public) the survey page their mail links to.
  automationRoutes(router, deps);
  operationsRoutes(router, deps);
  emailRoutes(router, deps);
  widgetRoutes(router, deps);
  const document = openApiDocument(publicUrl);
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = document;
  });
  return router;
}

/** The hub's HTTP app; `adminConsoleDir` is where the built console is (admin/dist by default). */
export function createHttpApp(deps: HttpDeps, options: { publicUrl: string; trustProxy: boolean; adminConsoleDir?: string }): Koa {
  const app = new Koa();
  // Only a trusted proxy may say who the client is: per-IP rate limits count ctx.ip.
  app.proxy = options.trustProxy;
  const router = createRouter(deps, options.publicUrl);
  app.use(async (ctx, next) => {
    const given = ctx.get('x-request-id');
    ctx.state.requestId = REQUEST_ID.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  });
  // Errors after the response started (a streamed download the client abandoned) reach Koa, not
  // errorResponses; a client going away is no failure of ours.
  app.on('error', (error: NodeJS.ErrnoException, ctx?: { state?: { requestId?: string } }) => {
    const level = error.code === 'ERR_STREAM_PREMATURE_CLOSE' ? 'debug' : 'error';
    deps.log[level]({ err: error, requestId: ctx?.state?.requestId }, 'response failed');
  });
  app.use(errorResponses(deps.log));
  app.use(adminConsole(options.adminConsoleDir));
  app.use(router.routes());
  // Sets 405/501 with an Allow header (RFC 9110 §15.5.6); errorResponses adds the JSON body.
  app.use(router.allowedMethods());
  return app;
}
