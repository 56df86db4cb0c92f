import { cannedResponseInputSchema, cannedResponsePatchSchema, cannedResponseQuery } from '../../domain/cannedResponses';
import { type ApiSection, dateTime, errors, idParameter, inputSchema, json, object, ok, queryParameters, ref, secured } from './parts';

const body = (schema: Parameters<typeof inputSchema>[0]) => ({ required: true, content: json(inputSchema(schema)) });

/** Canned responses: replies agents insert by shortcut. */
export const cannedResponsesApi: ApiSection = {
  schemas: {
    CannedResponse: object({
      id: { type: 'string' },
      shortcut: { type: 'string', pattern: '^[a-z0-9_-]{1,32}$' },
      title: { type: 'string' },
      body: { type: 'string', description: 'May hold {{customer.name}} and {{agent.name}}, which the console fills in when inserting' },
      createdAt: dateTime,
      updatedAt: dateTime,
    }),
  },
  paths: {
    '/api/canned-responses': {
      get: {
        summary: 'The canned responses (every agent), shortcuts starting with q first',
        ...secured,
        parameters: queryParameters(cannedResponseQuery),
        responses: { ...ok('The canned responses', object({ items: { type: 'array', items: ref('CannedResponse') } })), ...errors(400, 401) },
      },
      post: {
        summary: 'Add a canned response (admins)',
        description: '409 canned_response_conflict when another one has the shortcut.',
        ...secured,
        requestBody: body(cannedResponseInputSchema),
        responses: { 201: { description: 'Added', content: json(ref('CannedResponse')) }, ...errors(400, 401, 403, 409, 415) },
      },
    },
    '/api/canned-responses/{id}': {
      patch: {
        summary: 'Change a canned response (admins)',
        ...secured,
        parameters: [idParameter('Canned response id')],
        requestBody: body(cannedResponsePatchSchema),
        responses: { ...ok('The canned response', ref('CannedResponse')), ...errors(400, 401, 403, 404, 409, 415) },
      },
      delete: {
        summary: 'Delete a canned response (admins)',
        ...secured,
        parameters: [idParameter('Canned response id')],
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
      },
    },
  },
};
