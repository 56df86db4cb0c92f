import { z } from 'zod';
import type { Inbound } from '../domain/ingest';
import { bodySchema, clientIdSchema, idSchema } from '../domain/messageInput';
import { parseInput } from '../domain/parseInput';
import type { VisitorSession } from '../domain/visitors';

/** The most files one widget message may carry. */
export const MAX_CHAT_ATTACHMENTS = 10;

const widgetMessageSchema = z.object({
  clientId: clientIdSchema,
  body: bodySchema,
  conversationId: idSchema.optional(),
  attachmentIds: z.array(idSchema).max(MAX_CHAT_ATTACHMENTS).optional(),
});

/** A widget's `message:send` payload as the one Inbound every channel produces. */
export function chatInbound(session: VisitorSession, payload: unknown): Inbound {
  const { clientId, body, conversationId, attachmentIds } = parseInput(widgetMessageSchema, payload);
  return {
    channel: 'chat',
    identities: [{ kind: 'visitor', value: session.visitorId }],
    clientId,
    body,
    conversationId,
    uploads: attachmentIds,
  };
}
