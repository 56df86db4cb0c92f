import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import { type Agent, getAgent } from '../domain/agents';
import { verifyAgentToken } from '../domain/agentTokens';
import { HubError, publicError } from '../domain/errors';
import { bodySchema, clientIdSchema, idSchema } from '../domain/messageInput';
import { parseInput } from '../domain/parseInput';
import { markReadByAgent } from '../domain/readReceipts';
import { replyAsAgent, replyEmailSchema } from '../domain/replies';
import { agentTypingTarget } from '../domain/typing';
import { acknowledged } from './acks';
import { agentPresence } from './agentPresence';
import type { RealtimeDeps } from './deps';
import { AGENTS_ROOM, agentRoom, customerRoom } from './rooms';
import { tokenRoom, tokenRevocations } from './tokenRevocations';

const agentMessageSchema = z.object({ conversationId: idSchema, clientId: clientIdSchema, body: bodySchema, email: replyEmailSchema.optional() });
const typingSchema = z.object({ conversationId: idSchema, typing: z.boolean() });
const readSchema = z.object({ conversationId: idSchema, upToId: idSchema });

/** `/agents`: the consoles of signed-in agents. Close it after its sockets have disconnected. */
export function serveAgents(namespace: Namespace, deps: RealtimeDeps): { close: () => Promise<void> } {
  const presence = agentPresence(namespace, deps);
  const widget = namespace.server.of('/widget');
  const revocations = tokenRevocations(deps.redis, deps.redisPrefix);
  const refuseRevoked = async (tokenId: string) => {
    if (await revocations.isRevoked(tokenId)) throw new HubError('unauthorized', 'The agent token was signed out');
  };
  const admit = async (socket: Socket) => {
    const token = verifyAgentToken(deps.secretKey, (socket.handshake.auth as { token?: unknown }).token, deps.domain.now());
    await refuseRevoked(token.tokenId);
    const agent = await getAgent(deps.domain.db, token.agentId);
    // Online before the console hears "connect": whatever it does next, routing already counts it.
    await presence.connected(agent.id, socket.id);
    socket.data.agent = agent;
    socket.data.tokenId = token.tokenId;
    // A sign-out during the steps above missed this socket (not connected, not in the room yet):
    // looking again once it is in the room leaves only the instant until it connects.
    void socket.join(tokenRoom(token.tokenId));
    await refuseRevoked(token.tokenId).catch((error: unknown) => {
      presence.disconnected(agent.id, socket.id);
      throw error;
    });
  };
  namespace.use((socket, next) => {
    admit(socket).then(
      () => next(),
      (error: unknown) => {
        const body = publicError(error);
        if (body.code === 'internal') deps.log.error({ err: error }, 'agent socket auth failed');
        next(Object.assign(new Error(body.message), { data: body }));
      },
    );
  });

  namespace.on('connection', (socket) => {
    const agent = socket.data.agent as Agent;
    void socket.join([AGENTS_ROOM, agentRoom(agent.id)]);
    presence.accepted(socket.id);
    socket.on('disconnect', () => presence.disconnected(agent.id, socket.id));

    socket.on(
      'agent:status',
      acknowledged(deps.log, deps.inFlight, 'agent:status', async (payload) => ({ status: await presence.setStatus(agent.id, payload) })),
    );

    socket.on(
      'message:send',
      acknowledged(deps.log, deps.inFlight, 'message:send', async (payload) => {
        const { conversationId, clientId, body, email } = parseInput(agentMessageSchema, payload);
        const result = await replyAsAgent(deps.domain, { agentId: agent.id, conversationId, clientId, body, email });
        return { message: result.message, duplicate: result.duplicate };
      }),
    );

    socket.on(
      'typing',
      acknowledged(deps.log, deps.inFlight, 'typing', async (payload) => {
        const { conversationId, typing } = parseInput(typingSchema, payload);
        const target = await agentTypingTarget(deps.domain.db, agent.id, conversationId);
        widget.to(customerRoom(target.customerId)).emit('agent:typing', { conversationId, agent: target.agent, typing });
        return {};
      }),
    );

    socket.on(
      'messages:read',
      acknowledged(deps.log, deps.inFlight, 'messages:read', async (payload) => {
        const { conversationId, upToId } = parseInput(readSchema, payload);
        await markReadByAgent(deps.domain, conversationId, upToId);
        return {};
      }),
    );
  });
  return { close: presence.close };
}
