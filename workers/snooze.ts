import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import { wakeSnoozed } from '../server/domain/conversationChanges';
import type { DomainContext } from '../server/domain/context';
import { HubError } from '../server/domain/errors';
import type { SnoozeJob } from '../server/queues';

export type SnoozeDeps = { domain: DomainContext; log: Logger };

const snoozeJob = z.object({ conversationId: z.string().min(1), until: z.iso.datetime() });

/**
 * Opens a snoozed conversation when its time comes. Only the job for the conversation's current
 * snooze time does anything, so an ended or moved snooze never wakes it, and a retry wakes it once.
 */
export function wakeSnoozedConversation(deps: SnoozeDeps): (job: Job<SnoozeJob>) => Promise<'woken' | 'stale'> {
  return async (job) => {
    const parsed = snoozeJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`not a snooze job: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
    const outcome = await wakeSnoozed(deps.domain, parsed.data.conversationId, new Date(parsed.data.until)).catch((error: unknown) => {
      if (error instanceof HubError && error.code === 'conversation_not_found') throw new UnrecoverableError(error.message);
      throw error;
    });
    // Clocks of two processes may disagree by a little: a wake-up that came early is tried again.
    if (outcome === 'not_due') throw new Error(`the snooze until ${parsed.data.until} has not ended yet`);
    if (outcome === 'woken') deps.log.info({ jobId: job.id, conversationId: parsed.data.conversationId }, 'snooze ended');
    return outcome;
  };
}
