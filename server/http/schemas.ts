import { z } from 'zod';
import { inboxSorts } from '../domain/conversationInbox';
import { type ConversationStatus, conversationStatuses } from '../domain/conversations';
import { bodySchema, clientIdSchema } from '../domain/messageInput';
import { replyEmailSchema } from '../domain/replies';

/** Request shapes, shared by the routes (validation) and the OpenAPI document. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(500).optional(),
});

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const conversationListQuery = pageQuery.extend({
  status: z
    .string()
    .transform((value, ctx) => {
      const statuses = value.split(',').map((item) => item.trim());
      const unknown = statuses.filter((status) => !(conversationStatuses as readonly string[]).includes(status));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown status ${unknown.join(', ')}; use ${conversationStatuses.join(', ')}` });
      return statuses as ConversationStatus[];
    })
    .optional()
    .describe('A status, or several comma-separated (open,pending)'),
  assignee: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('An agent id, "me" for the caller, or "none" for unassigned conversations'),
  snoozed: booleanQuery.optional().describe('Only snoozed conversations (true) or only the others (false); both when omitted'),
  team: z.string().min(1).max(100).optional().describe('A team id, or "mine" for the teams the caller belongs to'),
  intent: z.string().min(1).max(100).optional().describe('An intent name, or "unknown" for conversations without one'),
  slaAtRisk: booleanQuery
    .optional()
    .describe('true: open or pending with a first-response or resolution deadline within 30 minutes, or missed and not met'),
  tag: z.string().trim().min(1).max(50).optional(),
  customer: z.string().min(1).max(100).optional().describe("A customer id: only that customer's conversations"),
  sort: z
    .enum(inboxSorts)
    .default('recent')
    .describe('recent: last message first; priority: urgent > high > normal > low, then waiting longest, then id'),
});

export const conversationMergeRequest = z.object({
  sourceId: z.string().min(1).max(100).describe("The duplicate conversation (the same customer's), merged away into the one in the path"),
});

export const loginRequest = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1000) });

export const agentReplyRequest = z.object({ clientId: clientIdSchema.optional(), body: bodySchema, email: replyEmailSchema.optional() });

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
