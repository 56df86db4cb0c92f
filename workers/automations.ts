import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { AUTOMATION_JOBS, type AutomationJob, type AutomationStepJob, type AutomationTriggerJob } from '../server/automationQueues';
import { enrollInactiveCustomers, enrollOnTrigger } from '../server/domain/automationEnrollment';
import { runAutomationStep } from '../server/domain/automationProgress';
import type { DomainContext } from '../server/domain/context';

/** The automations queue: trigger jobs enrol, step jobs move enrollments along, the daily job enrols the inactive. */
export function automationProcessor(deps: { domain: DomainContext; log: Logger }): (job: Job<AutomationJob>) => Promise<unknown> {
  return async (job) => {
    if (job.name === AUTOMATION_JOBS.trigger) {
      const event = job.data as AutomationTriggerJob;
      const enrolled = await enrollOnTrigger(deps.domain, event);
      if (enrolled > 0) deps.log.info({ jobId: job.id, trigger: event.type, customerId: event.customerId, enrolled }, 'customer enrolled in automations');
      return { enrolled };
    }
    if (job.name === AUTOMATION_JOBS.step) {
      const { enrollmentId, step } = job.data as AutomationStepJob;
      const outcome = await runAutomationStep(deps.domain, enrollmentId, step);
      deps.log.debug({ jobId: job.id, enrollmentId, step, outcome }, 'automation step done');
      return { outcome };
    }
    if (job.name === AUTOMATION_JOBS.inactivity) {
      const enrolled = await enrollInactiveCustomers(deps.domain);
      deps.log.info({ jobId: job.id, enrolled }, 'inactive customers enrolled in automations');
      return { enrolled };
    }
    throw new UnrecoverableError(`Unknown automation job ${job.name}`);
  };
}
