import { z } from 'zod';
import { conversationStatuses } from '../domain/conversations';
import { bodySchema, clientIdSchema } from '../domain/messageInput';

/** Request shapes, shared by the routes (validation) and the OpenAPI document. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(500).optional(),
});

export const conversationListQuery = pageQuery.extend({
  status: z.enum(conversationStatuses).optional(),
  assignee: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('An agent id, "me" for the caller, or "none" for unassigned conversations'),
});

export const loginRequest = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1000) });

export const agentReplyRequest = z.object({ clientId: clientIdSchema.optional(), body: bodySchema });

const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

export const timelineQuery = pageQuery.extend({
  kind: commaList.optional().describe('Kinds or families, comma-separated: message, order.placed, form.submitted, …'),
  from: z.iso.datetime({ offset: true }).optional().describe('Events at or after this time'),
  to: z.iso.datetime({ offset: true }).optional().describe('Events before this time'),
  order: z.enum(['newest', 'oldest']).default('newest'),
});

export const mergeRequest = z.object({
  sourceId: z.string().min(1).max(100).describe('The duplicate customer, merged away into the one in the path'),
  reason: z.string().trim().max(500).optional(),
});

export const eraseRequest = z.object({ reason: z.string().trim().max(500).optional() });
