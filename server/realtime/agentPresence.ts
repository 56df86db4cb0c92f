import type { Namespace } from 'socket.io';
import { z } from 'zod';
import { parseInput } from '../domain/parseInput';
import { teamsOfAgent } from '../domain/teams';
import type { RealtimeDeps } from './deps';
import { type AgentPresence, type AgentStatus, agentStatuses, HEARTBEAT_MS, serverPresence } from './presence';
import { AGENTS_ROOM } from './rooms';

const statusSchema = z.object({ status: z.enum(agentStatuses) }).strict();

/**
 * What the /agents namespace does as agents come, go and change status: it records their sockets,
 * tells every console (`agent:presence`), serves their teams' queues when they become free to take
 * conversations, and asks for their unanswered conversations back when they leave.
 */
export function agentPresence(namespace: Namespace, deps: RealtimeDeps) {
  const presence = serverPresence(deps.redis, deps.redisPrefix);
  // Sockets recorded in the middleware and not yet (or never) connected, with when they were recorded.
  const pending = new Map<string, number>();
  const announce = (agentId: string, state: AgentPresence) => namespace.to(AGENTS_ROOM).emit('agent:presence', { agentId, ...state });
  const serveTeams = async (agentId: string) => {
    for (const teamId of await teamsOfAgent(deps.domain.db, agentId)) await deps.domain.queues.drainTeamQueue(teamId);
  };
  const wentOffline = async (agentId: string) => {
    await deps.domain.queues.agentWentOffline(agentId);
    announce(agentId, { online: false, status: 'available' });
  };
  const track = (work: Promise<unknown>, what: string) =>
    deps.inFlight.track(work.catch((error: unknown) => deps.log.error({ err: error }, `agent presence: ${what} failed`)));

  const isLocalSocket = (socketId: string) => {
    if (namespace.sockets.has(socketId)) return true;
    const since = pending.get(socketId);
    if (since !== undefined && Date.now() - since < HEARTBEAT_MS) return true;
    pending.delete(socketId);
    return false;
  };
  const beat = async () => {
    for (const agentId of await presence.beat(isLocalSocket)) await wentOffline(agentId);
  };
  const timer = setInterval(() => track(beat(), 'heartbeat'), HEARTBEAT_MS);
  timer.unref();

  return {
    /** A socket passed authentication: the agent counts as online from now on. */
    connected: async (agentId: string, socketId: string): Promise<void> => {
      pending.set(socketId, Date.now());
      const { cameOnline, status } = await presence.connect(agentId, socketId);
      if (!cameOnline) return;
      announce(agentId, { online: true, status });
      track(serveTeams(agentId), 'serving queues');
    },
    accepted: (socketId: string) => pending.delete(socketId),
    disconnected: (agentId: string, socketId: string) => {
      track(
        presence.disconnect(agentId, socketId).then((last) => (last ? wentOffline(agentId) : undefined)),
        'disconnect',
      );
    },
    /** `agent:status`: back to available (from away or offline) serves their teams' queues at once. */
    setStatus: async (agentId: string, payload: unknown): Promise<AgentStatus> => {
      const { status } = parseInput(statusSchema, payload);
      const { online, previous } = await presence.setStatus(agentId, status);
      announce(agentId, { online, status });
      if (online && status === 'available' && previous !== 'available') await serveTeams(agentId);
      return status;
    },
    close: async () => {
      clearInterval(timer);
      await presence.close();
    },
  };
}
