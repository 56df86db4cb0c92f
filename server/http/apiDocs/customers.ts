import { pageQuery } from '../schemas';
import { type ApiSection, dateTime, errors, idParameter, nullable, object, ok, page, queryParameters, ref, secured } from './parts';

/** Customers, their timelines, notes, merges and erasures. */
export const customersApi: ApiSection = {
  schemas: {
  Customer: object({
    id: { type: 'string' },
    name: nullable('string'),
    attributes: { type: 'object' },
    tags: { type: 'array', items: { type: 'string' } },
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
  },
  paths: {
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
