import { conversationChangeSchema } from '../domain/conversationChanges';
import { channels, conversationStatuses } from '../domain/conversations';
import { noteRequest } from '../domain/notes';
import { customerCsvApi } from './apiDocs/customerCsv';
import { customersApi } from './apiDocs/customers';
import { formsApi } from './apiDocs/forms';
import { intentsApi } from './apiDocs/intents';
import { operationsApi } from './apiDocs/operations';
import { ordersApi } from './apiDocs/orders';
import { teamsApi } from './apiDocs/teams';
import { widgetApi } from './apiDocs/widget';
import {
  type ApiSection,
  dateTime,
  errors,
  idParameter,
  inputSchema,
  json,
  nullable,
  object,
  ok,
  page,
  queryParameters,
  ref,
  type Schema,
  secured,
} from './apiDocs/parts';
import { agentReplyRequest, conversationListQuery, loginRequest, pageQuery } from './schemas';

const schemas: Record<string, Schema> = {
  Error: object({ error: object({ code: { type: 'string' }, message: { type: 'string' } }) }),
  Agent: object({
    id: { type: 'string' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    role: { enum: ['admin', 'agent'] },
    capacity: { type: 'integer' },
  }),
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
    createdAt: dateTime,
  }),
};

// Each area documents its own routes; the test in openapi.test.ts keeps them all in step with the router.
const sections: ApiSection[] = [customersApi, customerCsvApi, ordersApi, formsApi, intentsApi, teamsApi, operationsApi, widgetApi];

/** The OpenAPI 3.1 description of every HTTP route (a test keeps it in step with the router). */
export function openApiDocument(publicUrl: string): Schema {
  return {
    openapi: '3.1.0',
    info: { title: 'Support hub API', version: '0.1.0', description: 'Agents, conversations, messages and customer timelines.' },
    servers: [{ url: publicUrl }],
    components: {
      schemas: Object.assign({}, schemas, ...sections.map((section) => section.schemas)),
      securitySchemes: {
        agentToken: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/auth/login' },
        visitorId: { type: 'apiKey', in: 'header', name: 'X-Visitor-Id', description: "A widget session's visitor id (the socket's session event)" },
        inboundApiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'INBOUND_EMAIL_API_KEY (also accepted as a Bearer token); the route answers 404 while it is unset' },
      },
    },
    paths: Object.assign({
      '/healthz': { get: { summary: 'The process is up', responses: ok('Up', object({ status: { const: 'ok' } })) } },
      '/readyz': {
        get: {
          summary: 'The database and Redis answer',
          responses: {
            ...ok('Ready', object({ status: { type: 'string' }, checks: { type: 'object' } })),
            503: { description: 'A dependency does not answer' },
          },
        },
      },
      '/api/openapi.json': { get: { summary: 'This document', responses: ok('OpenAPI 3.1 document', { type: 'object' }) } },
      '/api/auth/login': {
        post: {
          summary: 'Sign in as an agent',
          requestBody: { required: true, content: json(inputSchema(loginRequest)) },
          responses: { ...ok('Signed in', object({ token: { type: 'string' }, agent: ref('Agent') })), ...errors(400, 401) },
        },
      },
      '/api/conversations': {
        get: {
          summary: 'The inbox, most recently active first',
          ...secured,
          parameters: queryParameters(conversationListQuery),
          responses: { ...ok('A page of conversations', page('Conversation')), ...errors(400, 401) },
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
          summary: 'Assign, resolve, reopen or reprioritise; each change is on the customer timeline',
          ...secured,
          parameters: [idParameter('Conversation id')],
          requestBody: { required: true, content: json(inputSchema(conversationChangeSchema)) },
          responses: { ...ok('The conversation', ref('Conversation')), ...errors(400, 401, 404) },
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
      '/api/inbound/email': {
        post: {
          summary: 'Hand over one raw RFC 822 message (a provider webhook or an IMAP fetcher); same path as SMTP',
          security: [{ inboundApiKey: [] }],
          parameters: [{ name: 'to', in: 'query', required: false, schema: { type: 'string' }, description: 'Envelope recipient, when the headers do not say' }],
          requestBody: { required: true, content: { 'message/rfc822': { schema: { type: 'string' } } } },
          responses: {
            201: { description: 'Stored', content: json(object({ outcome: { const: 'ingested' }, duplicate: { type: 'boolean' }, messageId: { type: 'string' }, conversationId: { type: 'string' }, customerId: { type: 'string' } })) },
            200: { description: 'This Message-ID was stored before' },
            202: { description: 'A bounce (recorded on the message it refers to) or ignored', content: json({ type: 'object' }) },
            ...errors(401, 404, 413, 422),
          },
        },
      },
      '/api/attachments/{id}': {
        get: {
          summary: "An attachment's bytes (always as a download)",
          ...secured,
          parameters: [idParameter('Attachment id')],
          responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, ...errors(401, 404) },
        },
      },
    }, ...sections.map((section) => section.paths)),
  };
}
