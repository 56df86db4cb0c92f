import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { DomainContext } from '../server/domain/context';
import { HubError } from '../server/domain/errors';
import { runSlaCheck, type SlaCheckOutcome } from '../server/domain/sla';
import type { SlaJob } from '../server/queues';

export type SlaDeps = { domain: DomainContext; log: Logger };

const slaJob = z.object({
  conversationId: z.string().min(1),
  target: z.enum(['first_response', 'resolution']),
  stage: z.enum(['warning', 'breach']),
  dueAt: z.iso.datetime(),
});

/**
 * Runs one scheduled SLA check (a warning or a breach). Running it twice has one effect: the
 * domain records each warning and breach once and ignores checks whose deadline has moved.
 */
export function checkSla(deps: SlaDeps): (job: Job<SlaJob>) => Promise<SlaCheckOutcome> {
  return async (job) => {
    const check = slaJob.safeParse(job.data);
    if (!check.success) throw new UnrecoverableError(`not an SLA check: ${z.prettifyError(check.error).replace(/\n/g, '; ')}`);
    const outcome = await runSlaCheck(deps.domain, check.data).catch((error: unknown) => {
      if (error instanceof HubError && error.code === 'conversation_not_found') throw new UnrecoverableError(error.message);
      throw error;
    });
    // Clocks of two processes may disagree by a little: a breach checked early is tried again.
    if (outcome === 'not_due') throw new Error(`the ${check.data.target} deadline ${check.data.dueAt} has not passed yet`);
    if (outcome === 'warned' || outcome === 'breached') {
      deps.log.info({ jobId: job.id, conversationId: check.data.conversationId, target: check.data.target, outcome }, 'SLA check');
    }
    return outcome;
  };
}
