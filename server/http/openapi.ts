import { z } from 'zod';
import { channels, conversationStatuses } from '../domain/conversations';
import { agentReplyRequest, conversationListQuery, loginRequest, pageQuery } from './schemas';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
const dateTime = { type: 'string', format: 'date-time' };
const object = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
});
const page = (item: string): Schema =>
  object({ items: { type: 'array', items: ref(item) }, nextCursor: nullable('string') });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const inputSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input' }) as Schema;

const schemas: Record<string, Schema> = {
  Error: object({ error: object({ code: { type: 'string' }, message: { type: 'string' } }) }),
  Agent: object({
    id: { type: 'string' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    role: { enum: ['admin', 'agent'] },
    capacity: { type: 'integer' },
  }),
  Customer: object({
    id: { type: 'string' },
    name: nullable('string'),
    attributes: { type: 'object' },
    tags: { type: 'array', items: { type: 'string' } },
    createdAt: dateTime,
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
    teamId: nullable('string'),
    assigneeId: nullable('string'),
    firstResponseDueAt: nullable('string', { format: 'date-time' }),
    resolutionDueAt: nullable('string', { format: 'date-time' }),
    firstResponseAt: nullable('string', { format: 'date-time' }),
    resolvedAt: nullable('string', { format: 'date-time' }),
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
    author: object({ kind: { enum: ['customer', 'agent', 'system'] }, id: nullable('string'), name: nullable('string') }),
    body: { type: 'string' },
    clientId: nullable('string'),
    createdAt: dateTime,
  }),
  TimelineEvent: object({
    id: { type: 'string' },
    customerId: { type: 'string' },
    at: dateTime,
    kind: { type: 'string', examples: ['conversation.opened', 'message.received', 'message.sent'] },
    reference: nullable('string'),
    data: { type: 'object' },
  }),
};

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, { description: 'Error', content: json(ref('Error')) }]));

const queryParameters = (schema: z.ZodObject) => {
  const jsonSchema = inputSchema(schema) as { properties: Record<string, Schema> };
  return Object.entries(jsonSchema.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
};

const idParameter = (description: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description });
const secured = { security: [{ agentToken: [] }] };
const ok = (description: string, schema: Schema) => ({ 200: { description, content: json(schema) } });

/** The OpenAPI 3.1 description of every HTTP route (a test keeps it in step with the router). */
export function openApiDocument(publicUrl: string): Schema {
  return {
    openapi: '3.1.0',
    info: { title: 'Support hub API', version: '0.1.0', description: 'Agents, conversations, messages and customer timelines.' },
    servers: [{ url: publicUrl }],
    components: {
      schemas,
      securitySchemes: {
        agentToken: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/auth/login' },
        inboundApiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'INBOUND_EMAIL_API_KEY (also accepted as a Bearer token); the route answers 404 while it is unset' },
      },
    },
    paths: {
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
      '/api/customers/{id}': {
        get: {
          summary: 'One customer',
          ...secured,
          parameters: [idParameter('Customer id')],
          responses: { ...ok('The customer', ref('Customer')), ...errors(401, 404) },
        },
      },
      '/api/customers/{id}/timeline': {
        get: {
          summary: "Everything that happened with a customer, newest first",
          ...secured,
          parameters: [idParameter('Customer id'), ...queryParameters(pageQuery)],
          responses: { ...ok('A page of timeline events', page('TimelineEvent')), ...errors(400, 401, 404) },
        },
      },
    },
  };
}
