import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { DomainContext } from '../server/domain/context';
import { recomputeRfmScores } from '../server/domain/rfm';

export type RfmDeps = { domain: DomainContext; log: Logger };

/** Recomputes every customer's RFM scores and segment; asked after order writes and once a day. */
export function recomputeRfm(deps: RfmDeps): (job: Job) => Promise<{ scored: number; cleared: number }> {
  return async (job) => {
    const counts = await recomputeRfmScores(deps.domain.db, deps.domain.now());
    deps.log.info({ jobId: job.id, job: job.name, ...counts }, 'recomputed RFM scores');
    return counts;
  };
}
