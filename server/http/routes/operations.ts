import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { constantTimeEqual } from '../../domain/constantTimeEqual';
import { HubError } from '../../domain/errors';
import { readJobTimings } from '../../operations/jobTimings';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from '../../operations/prometheus';
import { queueNames } from '../../operations/queueInspector';
import { requireAdmin, requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';

/** How many of each queue's newest failed jobs the admin listing shows. */
export const FAILED_JOBS_SHOWN = 20;

export function operationsRoutes(router: Router, deps: HttpDeps): void {
  const { queues, metricsToken } = deps.operations;

  // Scrapers send a static token, not an agent's: METRICS_TOKEN, when set.
  const metricsAuth: Middleware = async (ctx, next) => {
    if (metricsToken) {
      const [scheme, token] = (ctx.get('authorization') || '').split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token || !constantTimeEqual(token, metricsToken)) {
        throw new HubError('unauthorized', 'Send METRICS_TOKEN as "Authorization: Bearer <token>"');
      }
    }
    await next();
  };

  router.get('/metrics', metricsAuth, async (ctx) => {
    const [counts, timings] = await Promise.all([queues.counts(), readJobTimings(deps.redis, deps.redisPrefix, queueNames)]);
    ctx.type = PROMETHEUS_CONTENT_TYPE;
    ctx.body = renderMetrics({ counts, timings, residentMemoryBytes: process.memoryUsage.rss(), uptimeSeconds: process.uptime() });
  });

  const adminOnly = requireAdmin('Only admins may inspect the queues');
  const auth = requireAgent(deps);

  router.get('/api/admin/queues', auth, adminOnly, async (ctx) => {
    const counts = await queues.counts();
    ctx.body = {
      queues: await Promise.all(
        queueNames.map(async (name) => ({ name, counts: counts[name], failed: await queues.failedJobs(name, FAILED_JOBS_SHOWN) })),
      ),
    };
  });

  router.post('/api/admin/queues/:queue/jobs/:jobId/retry', auth, adminOnly, async (ctx) => {
    await queues.retry(ctx.params.queue!, ctx.params.jobId!);
    ctx.status = 202;
    ctx.body = { queue: ctx.params.queue, jobId: ctx.params.jobId, status: 'waiting' };
  });
}
