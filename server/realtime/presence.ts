import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Which agents are online (at least one /agents socket connected) and available, in Redis, so
 * every server process and the workers read the same answer.
 *
 * Each socket is a member `<serverId>|<socketId>` of its agent's set. A server keeps a heartbeat
 * key alive while it runs; members of a server whose heartbeat expired (it crashed) no longer
 * count, and the next sweep of any live server removes them and announces the agents it left
 * offline. The counting runs in Lua scripts, so a check and its change are one atomic step:
 * two tabs closing at once make one "went offline", never two or none.
 */

/** away: busy for now; offline: signed in but shown offline to teammates. Neither is given conversations. */
export const agentStatuses = ['available', 'away', 'offline'] as const;
export type AgentStatus = (typeof agentStatuses)[number];
export type AgentPresence = { online: boolean; status: AgentStatus };

/** A server beats this often; its sockets stop counting when it missed about three beats. */
export const HEARTBEAT_MS = 10_000;
const HEARTBEAT_TTL_MS = 30_000;

function presenceKeys(redisPrefix: string) {
  const base = `${redisPrefix}:presence`;
  return {
    /** Every agent who ever connected: the ones whose sets a reader or a sweep looks at. */
    agents: `${base}:agents`,
    socketsPrefix: `${base}:sockets:`,
    statusPrefix: `${base}:status:`,
    offlinePrefix: `${base}:offline-since:`,
    serverPrefix: `${base}:server:`,
  };
}

// live(socketsKey, serverPrefix): how many of the agent's sockets belong to a running server.
const LIVE = `
local function live(socketsKey, serverPrefix)
  local count = 0
  for _, member in ipairs(redis.call('SMEMBERS', socketsKey)) do
    local server = string.match(member, '^([^|]+)|')
    if server and redis.call('EXISTS', serverPrefix .. server) == 1 then count = count + 1 end
  end
  return count
end
`;

// KEYS: server, sockets, agents, status. ARGV: member, agentId, heartbeat ttl, serverPrefix.
// Returns {1 when the agent came online, status}. Coming online makes the agent available.
const CONNECT = `${LIVE}
redis.call('SET', KEYS[1], '1', 'PX', ARGV[3])
local before = live(KEYS[2], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[2])
if before == 0 then
  redis.call('SET', KEYS[4], 'available')
  return {1, 'available'}
end
return {0, redis.call('GET', KEYS[4]) or 'available'}
`;

// KEYS: sockets, offline-since. ARGV: member, serverPrefix, now (ms). Returns 1 when the agent went offline.
const DISCONNECT = `${LIVE}
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
if live(KEYS[1], ARGV[2]) > 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[3])
return 1
`;

// KEYS: sockets, offline-since. ARGV: serverPrefix, now (ms). Removes the sockets of dead servers;
// returns 1 when that left the agent offline (the removal, and so the announcement, happens once).
const PRUNE = `${LIVE}
local removed = 0
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local server = string.match(member, '^([^|]+)|')
  if not server or redis.call('EXISTS', ARGV[1] .. server) == 0 then
    redis.call('SREM', KEYS[1], member)
    removed = removed + 1
  end
end
if removed == 0 or redis.call('SCARD', KEYS[1]) > 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1
`;

// KEYS: status, sockets. ARGV: status, serverPrefix. Returns {live sockets, previous status}.
const SET_STATUS = `${LIVE}
local previous = redis.call('GET', KEYS[1]) or 'available'
redis.call('SET', KEYS[1], ARGV[1])
return {live(KEYS[2], ARGV[2]), previous}
`;

// ARGV: socketsPrefix, statusPrefix, serverPrefix, agent ids... Returns {live, status} per agent.
const READ = `${LIVE}
local result = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  table.insert(result, {live(ARGV[1] .. id, ARGV[3]), redis.call('GET', ARGV[2] .. id) or 'available'})
end
return result
`;

/** Reads presence: for the workers (who routes to whom), the HTTP API and the socket servers. */
export function presenceReader(redis: Redis, redisPrefix: string) {
  const keys = presenceKeys(redisPrefix);
  const read = async (agentIds: readonly string[]): Promise<Map<string, AgentPresence>> => {
    if (agentIds.length === 0) return new Map();
    const rows = (await redis.eval(READ, 0, keys.socketsPrefix, keys.statusPrefix, keys.serverPrefix, ...agentIds)) as [number, AgentStatus][];
    return new Map(agentIds.map((agentId, i) => [agentId, { online: rows[i]![0] > 0, status: rows[i]![1] }]));
  };
  return {
    /** Each agent's presence; an agent who never connected is offline and available. */
    read,
    /** The agents routing may give conversations to: online and available. */
    available: async (): Promise<string[]> => {
      const presence = await read(await redis.smembers(keys.agents));
      return [...presence].filter(([, state]) => state.online && state.status === 'available').map(([agentId]) => agentId);
    },
    /** When the agent's last socket closed (ms since the epoch), or null if they never went offline. */
    offlineSince: async (agentId: string): Promise<number | null> => {
      const value = await redis.get(`${keys.offlinePrefix}${agentId}`);
      return value === null ? null : Number(value);
    },
  };
}
export type PresenceReader = ReturnType<typeof presenceReader>;

/** One server process's side of presence: its sockets coming and going, its heartbeat. */
export function serverPresence(redis: Redis, redisPrefix: string) {
  const keys = presenceKeys(redisPrefix);
  const serverId = randomBytes(8).toString('hex');
  const serverKey = `${keys.serverPrefix}${serverId}`;
  const member = (socketId: string) => `${serverId}|${socketId}`;
  const statusKey = (agentId: string) => `${keys.statusPrefix}${agentId}`;
  const socketsKey = (agentId: string) => `${keys.socketsPrefix}${agentId}`;
  const offlineKey = (agentId: string) => `${keys.offlinePrefix}${agentId}`;
  const disconnect = async (agentId: string, socketId: string): Promise<boolean> =>
    (await redis.eval(DISCONNECT, 2, socketsKey(agentId), offlineKey(agentId), member(socketId), keys.serverPrefix, Date.now())) === 1;

  return {
    /** Records a socket; `cameOnline` when it is the agent's first, which makes them available. */
    connect: async (agentId: string, socketId: string): Promise<{ cameOnline: boolean; status: AgentStatus }> => {
      const [cameOnline, status] = (await redis.eval(
        CONNECT,
        4,
        serverKey,
        socketsKey(agentId),
        keys.agents,
        statusKey(agentId),
        member(socketId),
        agentId,
        HEARTBEAT_TTL_MS,
        keys.serverPrefix,
      )) as [number, AgentStatus];
      return { cameOnline: cameOnline === 1, status };
    },
    /** Forgets a socket; true when it was the agent's last. */
    disconnect,
    /** Sets the agent's status; tells whether they are online and what it was before. */
    setStatus: async (agentId: string, status: AgentStatus): Promise<{ online: boolean; previous: AgentStatus }> => {
      const [live, previous] = (await redis.eval(SET_STATUS, 2, statusKey(agentId), socketsKey(agentId), status, keys.serverPrefix)) as [number, AgentStatus];
      return { online: live > 0, previous };
    },
    /**
     * Keeps this server's sockets counting, and forgets sockets that no longer exist: those of
     * crashed servers, and those this server recorded but no longer has (a client that left while
     * its connection was being accepted). Returns the agents that this left offline.
     */
    beat: async (isLocalSocket: (socketId: string) => boolean): Promise<string[]> => {
      await redis.set(serverKey, '1', 'PX', HEARTBEAT_TTL_MS);
      const wentOffline: string[] = [];
      for (const agentId of await redis.smembers(keys.agents)) {
        if ((await redis.eval(PRUNE, 2, socketsKey(agentId), offlineKey(agentId), keys.serverPrefix, Date.now())) === 1) wentOffline.push(agentId);
        const gone = (await redis.smembers(socketsKey(agentId))).filter((entry) => entry.startsWith(`${serverId}|`) && !isLocalSocket(entry.slice(serverId.length + 1)));
        for (const entry of gone) {
          if (await disconnect(agentId, entry.slice(serverId.length + 1))) wentOffline.push(agentId);
        }
      }
      return wentOffline;
    },
    /** Stops counting this server's sockets (call after they have disconnected). */
    close: async (): Promise<void> => {
      await redis.del(serverKey);
    },
  };
}
export type ServerPresence = ReturnType<typeof serverPresence>;
