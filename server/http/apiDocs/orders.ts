import { z } from 'zod';
import { orderInputSchema, orderStatuses } from '../../domain/orderInput';
import { importRowSchema, MAX_IMPORT_ORDERS } from '../../domain/orderImport';
import { orderImportQuery } from '../routes/orders';
import { pageQuery } from '../schemas';
import { type ApiSection, dateTime, errors, idParameter, inputSchema, json, object, ok, page, queryParameters, ref, secured } from './parts';

const amount = (description: string) => ({ type: 'string', description, examples: ['19.90'] });
const importRequest = z.object({ orders: z.array(importRowSchema).min(1).max(MAX_IMPORT_ORDERS) });
const rowError = object({ index: { type: 'integer', description: 'Position in orders, from 0' }, code: { type: 'string' }, message: { type: 'string' } });

/** Orders and the per-customer metrics they feed. */
export const ordersApi: ApiSection = {
  schemas: {
    Order: object({
      id: { type: 'string' },
      customerId: { type: 'string' },
      source: { type: 'string' },
      number: { type: 'string' },
      status: { enum: [...orderStatuses] },
      currency: { type: 'string', description: 'ISO 4217', examples: ['EUR'] },
      total: amount('Exact decimal: the sum of quantity × unitPrice'),
      items: {
        type: 'array',
        items: object({ product: { type: 'string' }, quantity: { type: 'integer', minimum: 1 }, unitPrice: amount('Exact decimal') }),
      },
      placedAt: dateTime,
      createdAt: dateTime,
      updatedAt: dateTime,
    }),
    OrderWrite: object({ order: ref('Order'), created: { type: 'boolean' } }),
  },
  paths: {
    '/api/customers/{id}/orders': {
      get: {
        summary: "A customer's orders, most recently placed first",
        ...secured,
        parameters: [idParameter('Customer id'), ...queryParameters(pageQuery)],
        responses: { ...ok('A page of orders', page('Order')), ...errors(400, 401, 404, 410) },
      },
      post: {
        summary: "Record a customer's order; idempotent by (source, number), a repeat with another status updates it",
        description:
          'Updates the customer\'s order count, lifetime value and first/last order in the same transaction (pending, paid and fulfilled ' +
          'orders count) and asks for the RFM scores to be recomputed. All of a customer\'s orders share one currency.',
        ...secured,
        parameters: [idParameter('Customer id')],
        requestBody: { required: true, content: json(inputSchema(orderInputSchema)) },
        responses: {
          201: { description: 'Recorded', content: json(ref('OrderWrite')) },
          200: { description: 'Recorded before: unchanged, or its status updated (created: false)', content: json(ref('OrderWrite')) },
          ...errors(400, 401, 404, 409, 410, 413, 415, 422),
        },
      },
    },
    '/api/orders/{id}': {
      get: {
        summary: 'One order',
        ...secured,
        parameters: [idParameter('Order id')],
        responses: { ...ok('The order', ref('Order')), ...errors(401, 404) },
      },
    },
    '/api/orders/import': {
      post: {
        summary: `Import up to ${MAX_IMPORT_ORDERS} orders, all or nothing`,
        description:
          "Each row's customer is found by id, or by its identities (created when none matches). Rows follow the same rules as " +
          'POST /api/customers/{id}/orders. Any invalid row: 422 import_invalid with error.details.rows [{index, code, message}], ' +
          'and nothing is written.',
        ...secured,
        parameters: queryParameters(orderImportQuery),
        requestBody: { required: true, content: json(inputSchema(importRequest)) },
        responses: {
          ...ok(
            'Imported (or, with dryRun=true, what an import would say)',
            {
              oneOf: [
                object({ created: { type: 'integer' }, updated: { type: 'integer' }, unchanged: { type: 'integer' } }),
                object({ valid: { type: 'integer' }, errors: { type: 'array', items: rowError } }),
              ],
            },
          ),
          ...errors(400, 401, 409, 413, 415, 422),
        },
      },
    },
  },
};
