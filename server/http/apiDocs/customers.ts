import { customerInputSchema } from '../../domain/customers';
import { customerSearchSchema } from '../../domain/customerSearch';
import { noteRequest } from '../../domain/notes';
import { eraseRequest, mergeRequest, pageQuery, timelineQuery } from '../schemas';
import { type ApiSection, dateTime, errors, idParameter, inputSchema, json, nullable, object, ok, page, queryParameters, ref, secured } from './parts';

const customerId = idParameter('Customer id');
const body = (schema: Parameters<typeof inputSchema>[0]) => ({ required: true, content: json(inputSchema(schema)) });
const nullableTime = nullable('string', { format: 'date-time' });

/** Customers, their timelines, notes, merges and erasures. */
export const customersApi: ApiSection = {
  schemas: {
    Customer: object({
      id: { type: 'string' },
      name: nullable('string'),
      email: nullable('string', { description: 'The first email we learned; identities has them all' }),
      phone: nullable('string', { description: 'E.164, e.g. +14155552671' }),
      externalId: nullable('string', { description: "The id in the company's own systems" }),
      identities: { type: 'array', items: object({ kind: { enum: ['email', 'phone', 'external'] }, value: { type: 'string' } }) },
      attributes: { type: 'object', description: 'Free JSON; each value at most CUSTOMER_ATTRIBUTE_MAX_BYTES' },
      tags: { type: 'array', items: { type: 'string' } },
      orders: object({
        count: { type: 'integer' },
        lifetimeValue: { type: 'string', description: 'Exact decimal in currency', examples: ['129.90'] },
        currency: nullable('string'),
        firstOrderAt: nullableTime,
        lastOrderAt: nullableTime,
      }),
      rfm: {
        oneOf: [
          { type: 'null' },
          object({
            recency: { type: 'integer', minimum: 1, maximum: 5 },
            frequency: { type: 'integer', minimum: 1, maximum: 5 },
            monetary: { type: 'integer', minimum: 1, maximum: 5 },
            segment: { type: 'string', examples: ['Champions', 'At risk'] },
            computedAt: dateTime,
          }),
        ],
      },
      erasedAt: nullableTime,
      createdAt: dateTime,
      updatedAt: dateTime,
    }),
    TimelineEvent: object({
      id: { type: 'string' },
      customerId: { type: 'string' },
      at: dateTime,
      kind: { type: 'string', examples: ['conversation.opened', 'message.received', 'order.placed', 'customer.merged'] },
      reference: nullable('string'),
      data: { type: 'object' },
    }),
    Note: object({
      id: { type: 'string' },
      customerId: { type: 'string' },
      conversationId: nullable('string'),
      agentId: nullable('string'),
      body: { type: 'string' },
      createdAt: dateTime,
    }),
    CustomerMerge: object({
      id: { type: 'string' },
      sourceId: { type: 'string', description: 'The customer merged away' },
      targetId: { type: 'string', description: 'The survivor' },
      agentId: nullable('string', { description: 'null when a verified widget identity joined them' }),
      source: { type: 'object', description: 'The merged customer as it was' },
      moved: { type: 'object', description: 'Rows moved, per table' },
      createdAt: dateTime,
    }),
    Erasure: object({
      id: { type: 'string' },
      customerId: { type: 'string' },
      agentId: nullable('string'),
      reason: nullable('string'),
      erased: { type: 'object', description: 'Rows erased or anonymised, per kind' },
      createdAt: dateTime,
    }),
  },
  paths: {
    '/api/customers': {
      get: {
        summary: 'Search customers; attr.<key>=value query parameters filter on attributes',
        ...secured,
        parameters: queryParameters(customerSearchSchema),
        responses: { ...ok('A page of customers', page('Customer')), ...errors(400, 401) },
      },
      post: {
        summary: 'Create a customer',
        ...secured,
        requestBody: body(customerInputSchema),
        responses: { 201: { description: 'Created', content: json(ref('Customer')) }, ...errors(400, 401, 409, 415) },
      },
    },
    '/api/customers/upsert': {
      post: {
        summary: 'Create or update the customer its externalId, email or phone names',
        ...secured,
        requestBody: body(customerInputSchema),
        responses: {
          201: { description: 'Created', content: json(ref('Customer')) },
          ...ok('Updated', ref('Customer')),
          ...errors(400, 401, 409, 410, 415),
        },
      },
    },
    '/api/customers/{id}': {
      get: {
        summary: 'One customer',
        ...secured,
        parameters: [customerId],
        responses: { ...ok('The customer', ref('Customer')), ...errors(401, 404, 410) },
      },
      patch: {
        summary: 'Change a customer: name, attributes (merged; null removes), tags (replaced), identities (added)',
        ...secured,
        parameters: [customerId],
        requestBody: body(customerInputSchema),
        responses: { ...ok('The customer', ref('Customer')), ...errors(400, 401, 404, 409, 410) },
      },
      delete: {
        summary: 'Delete a customer and everything held about them',
        ...secured,
        parameters: [customerId],
        responses: { 204: { description: 'Deleted' }, ...errors(401, 404, 410) },
      },
    },
    '/api/customers/{id}/timeline': {
      get: {
        summary: 'Everything that happened with a customer, on every channel',
        ...secured,
        parameters: [customerId, ...queryParameters(timelineQuery)],
        responses: { ...ok('A page of timeline events', page('TimelineEvent')), ...errors(400, 401, 404, 410) },
      },
    },
    '/api/customers/{id}/notes': {
      get: {
        summary: "Agents' internal notes on the customer and their conversations, newest first",
        ...secured,
        parameters: [customerId, ...queryParameters(pageQuery)],
        responses: { ...ok('A page of notes', page('Note')), ...errors(400, 401, 404, 410) },
      },
      post: {
        summary: 'Add an internal note (never shown to the customer)',
        ...secured,
        parameters: [customerId],
        requestBody: body(noteRequest),
        responses: { 201: { description: 'Added', content: json(ref('Note')) }, ...errors(400, 401, 404, 409, 410) },
      },
    },
    '/api/customers/{id}/merge': {
      post: {
        summary: 'Merge the customer sourceId into this one, in one transaction',
        ...secured,
        parameters: [idParameter('The surviving customer')],
        requestBody: body(mergeRequest),
        responses: {
          ...ok('Merged', object({ customer: ref('Customer'), merge: ref('CustomerMerge') })),
          ...errors(400, 401, 404, 409, 410, 422),
        },
      },
    },
    '/api/customers/{id}/merges': {
      get: {
        summary: 'The merges into this customer, newest first',
        ...secured,
        parameters: [customerId],
        responses: { ...ok('Merges', object({ items: { type: 'array', items: ref('CustomerMerge') } })), ...errors(401, 404, 410) },
      },
    },
    '/api/customer-merges/{id}': {
      get: {
        summary: 'One recorded merge',
        ...secured,
        parameters: [idParameter('Merge id')],
        responses: { ...ok('The merge', ref('CustomerMerge')), ...errors(401, 404) },
      },
    },
    '/api/customers/{id}/erase': {
      post: {
        summary: 'Erase personal data (data-subject request); an audit record remains. Repeats answer with the first record',
        ...secured,
        parameters: [customerId],
        requestBody: { required: false, content: json(inputSchema(eraseRequest)) },
        responses: { ...ok('Erased', ref('Erasure')), ...errors(400, 401, 404, 410) },
      },
    },
    '/api/customers/{id}/export': {
      get: {
        summary: 'Everything held about the customer as one JSON document (data-subject access request)',
        ...secured,
        parameters: [customerId],
        responses: { ...ok('The document', { type: 'object' }), ...errors(401, 404, 410) },
      },
    },
  },
};
