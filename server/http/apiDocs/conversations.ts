import { conversationChangeSchema } from '../../domain/conversationChanges';
import { channels, conversationStatuses } from '../../domain/conversations';
import { noteRequest } from '../../domain/notes';
import { agentReplyRequest, conversationListQuery, conversationMergeRequest, pageQuery } from '../schemas';
import { type ApiSection, dateTime, errors, idParameter, inputSchema, json, nullable, object, ok, page, queryParameters, ref, secured } from './parts';

const count = { type: 'integer', minimum: 0 };

/** Conversations: the inbox, its view counts, changes, merges, messages and notes. */
export const conversationsApi: ApiSection = {
  schemas: {
    Conversation: object({
      id: { type: 'string' },
      customerId: { type: 'string' },
      customerName: nullable('string'),
      channel: { enum: [...channels] },
      status: { enum: [...conversationStatuses] },
      priority: { enum: ['low', 'normal', 'high', 'urgent'] },
      subject: nullable('string'),
      intent: nullable('string'),
      intentConfidence: nullable('number'),
      intentSource: { enum: ['model', 'agent', null] },
      language: nullable('string'),
      sentiment: nullable('number', { minimum: -1, maximum: 1 }),
      urgent: { type: 'boolean' },
      teamId: nullable('string'),
      assigneeId: nullable('string'),
      assignedBy: { enum: ['router', 'agent', null] },
      queuedAt: nullable('string', { format: 'date-time' }),
      firstResponseDueAt: nullable('string', { format: 'date-time' }),
      resolutionDueAt: nullable('string', { format: 'date-time' }),
      firstResponseAt: nullable('string', { format: 'date-time' }),
      resolvedAt: nullable('string', { format: 'date-time' }),
      firstResponseBreachedAt: nullable('string', { format: 'date-time' }),
      resolutionBreachedAt: nullable('string', { format: 'date-time' }),
      lastMessageAt: dateTime,
      createdAt: dateTime,
      updatedAt: dateTime,
      tags: { type: 'array', items: { type: 'string' } },
      snoozedUntil: nullable('string', { format: 'date-time', description: 'Pending until then; opens again then, or when the customer writes' }),
      mergedIntoId: nullable('string', { description: 'Set on a duplicate merged into that conversation (closed)' }),
      unreadCount: { ...count, description: "The customer's messages after the agents' read mark (all while none is read)" },
      lastMessage: {
        oneOf: [
          object({
            body: { type: 'string', description: 'The first 200 characters' },
            direction: { enum: ['inbound', 'outbound'] },
            authorKind: { enum: ['customer', 'agent', 'system'] },
            createdAt: dateTime,
          }),
          { type: 'null' },
        ],
      },
      waitingSince: nullable('string', { format: 'date-time', description: 'The oldest customer message no agent has answered; null when an agent spoke last' }),
      customerReadUpto: nullable('string', { description: 'The last message the customer has seen (chat read receipts)' }),
      agentReadUpto: nullable('string', { description: 'The last message an agent has seen' }),
    }),
    ConversationCounts: object({
      mine: count,
      unassigned: count,
      myTeams: count,
      all: count,
      slaAtRisk: count,
      snoozed: count,
      byStatus: object(Object.fromEntries(conversationStatuses.map((status) => [status, count]))),
      unread: { ...count, description: 'Conversations with customer messages no agent has read' },
    }),
    Message: object({
      id: { type: 'string' },
      conversationId: { type: 'string' },
      customerId: { type: 'string' },
      channel: { enum: [...channels] },
      direction: { enum: ['inbound', 'outbound'] },
      author: object({ kind: { enum: ['customer', 'agent', 'system'] }, id: nullable('string'), name: nullable('string'), avatarUrl: nullable('string') }),
      body: { type: 'string' },
      clientId: nullable('string'),
      email: {
        description: 'What went or came by email: its subject, Message-ID, sanitized HTML, full text, and the Cc an agent gave',
        oneOf: [
          object({
            subject: nullable('string'),
            messageId: nullable('string'),
            html: nullable('string'),
            text: nullable('string'),
            automated: { type: 'boolean' },
            cc: { type: 'array', items: { type: 'string', format: 'email' } },
          }),
          { type: 'null' },
        ],
      },
      createdAt: dateTime,
    }),
  },
  paths: {
    '/api/conversations': {
      get: {
        summary: 'The inbox: most recently active first, or by priority',
        description: 'Filters combine (AND); `customer` lists one customer\'s conversations. Cursors work for both sorts; a cursor belongs to the sort that issued it.',
        ...secured,
        parameters: queryParameters(conversationListQuery),
        responses: { ...ok('A page of conversations', page('Conversation')), ...errors(400, 401) },
      },
    },
    '/api/conversations/counts': {
      get: {
        summary: "How many conversations each inbox view holds, as the caller sees them",
        description: 'Over open and pending conversations that are not snoozed, except `snoozed` and `byStatus` (every conversation).',
        ...secured,
        responses: { ...ok('The counts', ref('ConversationCounts')), ...errors(401) },
      },
    },
    '/api/conversations/{id}': {
      get: {
        summary: 'One conversation',
        ...secured,
        parameters: [idParameter('Conversation id')],
        responses: { ...ok('The conversation', ref('Conversation')), ...errors(401, 404) },
      },
      patch: {
        summary: 'Assign, resolve, reopen, reprioritise, tag or snooze; assignment and status changes are on the customer timeline',
        description: 'snoozedUntil: a time in the past is 400 validation_failed; at that time the conversation opens again (conversation:updated).',
        ...secured,
        parameters: [idParameter('Conversation id')],
        requestBody: { required: true, content: json(inputSchema(conversationChangeSchema)) },
        responses: { ...ok('The conversation', ref('Conversation')), ...errors(400, 401, 404) },
      },
    },
    '/api/conversations/{id}/merge': {
      post: {
        summary: "Merge a duplicate conversation of the same customer into this one",
        description:
          "The source's messages, notes and their timeline events move here; the source is closed with mergedIntoId. " +
          '409 merge_conflict for another customer\'s conversation (merge the customers first), the conversation itself, or one already merged.',
        ...secured,
        parameters: [idParameter('Conversation id: the one that remains')],
        requestBody: { required: true, content: json(inputSchema(conversationMergeRequest)) },
        responses: { ...ok('The conversation that remains', ref('Conversation')), ...errors(400, 401, 404, 409, 415) },
      },
    },
    '/api/conversations/{id}/notes': {
      get: {
        summary: "Agents' internal notes on the conversation, newest first",
        ...secured,
        parameters: [idParameter('Conversation id'), ...queryParameters(pageQuery)],
        responses: { ...ok('A page of notes', page('Note')), ...errors(400, 401, 404) },
      },
      post: {
        summary: 'Add an internal note (never shown to the customer)',
        ...secured,
        parameters: [idParameter('Conversation id')],
        requestBody: { required: true, content: json(inputSchema(noteRequest)) },
        responses: { 201: { description: 'Added', content: json(ref('Note')) }, ...errors(400, 401, 404, 409) },
      },
    },
    '/api/conversations/{id}/messages': {
      get: {
        summary: "A conversation's messages, oldest first",
        ...secured,
        parameters: [idParameter('Conversation id'), ...queryParameters(pageQuery)],
        responses: { ...ok('A page of messages', page('Message')), ...errors(400, 401, 404) },
      },
      post: {
        summary: 'Reply to the customer as the signed-in agent (same effect as the socket)',
        description: 'email.subject and email.cc apply only when the reply goes by email.',
        ...secured,
        parameters: [idParameter('Conversation id')],
        requestBody: { required: true, content: json(inputSchema(agentReplyRequest)) },
        responses: {
          201: { description: 'Sent', content: json(object({ message: ref('Message'), duplicate: { type: 'boolean' } })) },
          200: { description: 'This clientId was sent before; the first message is returned' },
          ...errors(400, 401, 404, 413, 415),
        },
      },
    },
  },
};
