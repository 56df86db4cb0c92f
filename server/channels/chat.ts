import { z } from 'zod';
import type { Inbound } from '../domain/ingest';
import { bodySchema, clientIdSchema, idSchema } from '../domain/messageInput';
import { parseInput } from '../domain/parseInput';
import type { VisitorSession } from '../domain/visitors';

const widgetMessageSchema = z.object({
  clientId: clientIdSchema,
  body: bodySchema,
  conversationId: idSchema.optional(),
});

/** A widget's `message:send` payload as the one Inbound every channel produces. */
export function chatInbound(session: VisitorSession, payload: unknown): Inbound {
  const { clientId, body, conversationId } = parseInput(widgetMessageSchema, payload);
  return {
    channel: 'chat',
    identities: [{ kind: 'visitor', value: session.visitorId }],
    clientId,
    body,
    conversationId,
  };
}
