import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { DomainContext } from '../server/domain/context';
import { HubError } from '../server/domain/errors';
import { drainTeamQueue, handBackConversations, type RouteOutcome, routeConversation } from '../server/domain/routing';
import { ROUTE_JOBS, type RouteJob } from '../server/queues';
import type { PresenceReader } from '../server/realtime/presence';

export type RouteDeps = { domain: DomainContext; log: Logger; presence: PresenceReader };

const id = z.string().min(1).max(100);
const jobs = {
  [ROUTE_JOBS.conversation]: z.object({ conversationId: id }),
  [ROUTE_JOBS.drainTeam]: z.object({ teamId: id }),
  [ROUTE_JOBS.agentOffline]: z.object({ agentId: id }),
};

function data<Name extends keyof typeof jobs>(job: Job<RouteJob>, name: Name): z.infer<(typeof jobs)[Name]> {
  const parsed = jobs[name].safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`not a ${name} job: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  return parsed.data as z.infer<(typeof jobs)[Name]>;
}

/**
 * The route queue: routes a conversation, serves a team's queue, or hands back an offline agent's
 * unanswered conversations. Who may get conversations is read from presence when the job runs.
 */
export function routeProcessor(deps: RouteDeps): (job: Job<RouteJob>) => Promise<RouteOutcome | number | string[] | 'online again' | 'superseded'> {
  const { domain, log, presence } = deps;
  return async (job) => {
    switch (job.name) {
      case ROUTE_JOBS.conversation: {
        const { conversationId } = data(job, ROUTE_JOBS.conversation);
        const outcome = await routeConversation(domain, conversationId, await presence.available()).catch((error: unknown) => {
          if (error instanceof HubError && error.code === 'conversation_not_found') throw new UnrecoverableError(error.message);
          throw error;
        });
        if (outcome.outcome === 'no_team') log.warn({ jobId: job.id, conversationId }, 'no team handles this conversation and there is no default team');
        return outcome;
      }
      case ROUTE_JOBS.drainTeam: {
        const { teamId } = data(job, ROUTE_JOBS.drainTeam);
        return drainTeamQueue(domain, teamId, await presence.available());
      }
      case ROUTE_JOBS.agentOffline: {
        const { agentId } = data(job, ROUTE_JOBS.agentOffline);
        if ((await presence.read([agentId])).get(agentId)?.online) return 'online again';
        // They came back and left again since: the job of that later departure waits its own grace period.
        const since = await presence.offlineSince(agentId);
        if (since !== null && since > job.timestamp) return 'superseded';
        const handedBack = await handBackConversations(domain, agentId);
        if (handedBack.length > 0) log.info({ jobId: job.id, agentId, conversations: handedBack.length }, 'handed back an offline agent\'s conversations');
        return handedBack;
      }
      default:
        throw new UnrecoverableError(`unknown route job ${job.name}`);
    }
  };
}
