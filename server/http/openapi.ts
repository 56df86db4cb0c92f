import { automationsApi } from './apiDocs/automations';
import { campaignsApi } from './apiDocs/campaigns';
import { campaignSendingApi } from './apiDocs/campaignSending';
import { cannedResponsesApi } from './apiDocs/cannedResponses';
import { conversationsApi } from './apiDocs/conversations';
import { customerCsvApi } from './apiDocs/customerCsv';
import { customersApi } from './apiDocs/customers';
import { formsApi } from './apiDocs/forms';
import { intentsApi } from './apiDocs/intents';
import { operationsApi } from './apiDocs/operations';
import { ordersApi } from './apiDocs/orders';
import { segmentsApi } from './apiDocs/segments';
import { sessionApi } from './apiDocs/session';
import { teamsApi } from './apiDocs/teams';
import { widgetApi } from './apiDocs/widget';
import {
  type ApiSection,
  errors,
  idParameter,
  inputSchema,
  json,
  object,
  ok,
  ref,
  type Schema,
  secured,
} from './apiDocs/parts';
import { loginRequest } from './schemas';

const schemas: Record<string, Schema> = {
  Error: object({ error: object({ code: { type: 'string' }, message: { type: 'string' } }) }),
  Agent: object({
    id: { type: 'string' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    role: { enum: ['admin', 'agent'] },
    capacity: { type: 'integer' },
  }),
};

// Each area documents its own routes; the test in openapi.test.ts keeps them all in step with the router.
const sections: ApiSection[] = [conversationsApi, customersApi, customerCsvApi, ordersApi, formsApi, intentsApi, teamsApi, operationsApi, widgetApi, sessionApi, cannedResponsesApi, segmentsApi, campaignsApi, campaignSendingApi, automationsApi];

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
