import type { Namespace } from 'socket.io';
import { z } from 'zod';
import { chatInbound } from '../channels/chat';
import { findActiveConversation, getConversation } from '../domain/conversations';
import { rateConversation } from '../domain/csat';
import { HubError } from '../domain/errors';
import { ingest } from '../domain/ingest';
import { idSchema } from '../domain/messageInput';
import { listCustomerMessagesSince } from '../domain/messages';
import { parseInput } from '../domain/parseInput';
import { markReadByCustomer } from '../domain/readReceipts';
import { queuePosition } from '../domain/routingQueue';
import { visitorTypingConversation } from '../domain/typing';
import { identifyVisitor } from '../domain/visitorIdentity';
import { customerOfVisitor, startVisitorSession, type VisitorSession } from '../domain/visitors';
import { acknowledged } from './acks';
import type { RealtimeDeps } from './deps';
import { AGENTS_ROOM, customerRoom } from './rooms';

const sinceSchema = z.object({ afterId: idSchema.optional() }).optional();
const identifySchema = z
  .object({
    email: z.email().max(320).optional(),
    externalId: z.string().trim().min(1).max(320).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    hash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the hex HMAC-SHA256 of the externalId or email').optional(),
    continueByEmail: z.boolean().optional(),
  })
  .refine((claim) => claim.email || claim.name || claim.externalId, 'give an email, an externalId or a name');
const queuePositionSchema = z.object({ conversationId: idSchema.optional() }).optional();
const typingSchema = z.object({ typing: z.boolean() });
const readSchema = z.object({ upToId: idSchema });
const SINCE_PAGE = 500;

/** `/widget`: website visitors chat here. */
export function serveWidget(namespace: Namespace, deps: RealtimeDeps): void {
  namespace.use((socket, next) => {
    const auth = socket.handshake.auth as { visitorId?: unknown };
    startVisitorSession(deps.domain.db, auth.visitorId).then(
      (session) => {
        socket.data.session = session;
        next();
      },
      (error: unknown) => {
        deps.log.error({ err: error }, 'widget session failed');
        next(Object.assign(new Error('The chat is unavailable; try again shortly'), { data: { code: 'unavailable' } }));
      },
    );
  });

  const agents = namespace.server.of('/agents');
  namespace.on('connection', (socket) => {
    const session = socket.data.session as VisitorSession;
    const currentCustomer = async () => (await customerOfVisitor(deps.domain.db, session.visitorId)) ?? session.customerId;
    void socket.join(customerRoom(session.customerId));
    socket.emit('session', { visitorId: session.visitorId, customerId: session.customerId });

    socket.on(
      'message:send',
      acknowledged(deps.log, deps.inFlight, 'message:send', async (payload) => {
        const result = await ingest(deps.domain, chatInbound(session, payload));
        return { message: result.message, duplicate: result.duplicate };
      }),
    );

    socket.on(
      'messages:since',
      acknowledged(deps.log, deps.inFlight, 'messages:since', async (payload) => {
        const { afterId } = parseInput(sinceSchema, payload) ?? {};
        const customerId = await currentCustomer();
        return listCustomerMessagesSince(deps.domain.db, customerId, 'chat', afterId, SINCE_PAGE);
      }),
    );

    socket.on(
      'queue:position',
      acknowledged(deps.log, deps.inFlight, 'queue:position', async (payload) => {
        const { conversationId } = parseInput(queuePositionSchema, payload) ?? {};
        const customerId = await currentCustomer();
        const chat = conversationId ? await getConversation(deps.domain.db, conversationId) : await findActiveConversation(deps.domain.db, customerId, 'chat');
        // Someone else's conversation is answered as if it did not exist.
        if (chat && chat.customerId !== customerId) throw new HubError('conversation_not_found', `No conversation ${conversationId}`);
        return { conversationId: chat?.id ?? null, position: chat ? await queuePosition(deps.domain.db, chat.id) : null };
      }),
    );

    socket.on(
      'visitor:identify',
      acknowledged(deps.log, deps.inFlight, 'visitor:identify', async (payload) => {
        const claim = parseInput(identifySchema, payload);
        const customerId = await currentCustomer();
        const result = await identifyVisitor(deps.domain, customerId, claim, deps.widgetIdentitySecret);
        // The merge itself moved every tab of this visitor into the survivor's room.
        session.customerId = result.customer.id;
        const { customer, emailLinked, verified, merged, continueByEmail } = result;
        return { customer: { id: customer.id, name: customer.name }, emailLinked, verified, merged, continueByEmail };
      }),
    );

    socket.on(
      'typing',
      acknowledged(deps.log, deps.inFlight, 'typing', async (payload) => {
        const { typing } = parseInput(typingSchema, payload);
        const customerId = await currentCustomer();
        const conversationId = await visitorTypingConversation(deps.domain.db, customerId);
        // Typing is fleeting: it goes straight to the consoles, never through the database.
        if (conversationId) agents.to(AGENTS_ROOM).emit('visitor:typing', { conversationId, customerId, typing });
        return {};
      }),
    );

    socket.on(
      'messages:read',
      acknowledged(deps.log, deps.inFlight, 'messages:read', async (payload) => {
        const { upToId } = parseInput(readSchema, payload);
        await markReadByCustomer(deps.domain, await currentCustomer(), upToId);
        return {};
      }),
    );

    socket.on(
      'csat:submit',
      acknowledged(deps.log, deps.inFlight, 'csat:submit', async (payload) => {
        await rateConversation(deps.domain, await currentCustomer(), payload);
        return {};
      }),
    );
  });
}
