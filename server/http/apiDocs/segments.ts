import { segmentInputSchema, segmentPatchSchema } from '../../domain/segments';
import { type ApiSection, dateTime, errors, idParameter, inputSchema, json, object, ok, ref, secured } from './parts';

const body = (schema: Parameters<typeof inputSchema>[0]) => ({ required: true, content: json(inputSchema(schema)) });

const filterDescription =
  '{ all: [filter…] } | { any: [filter…] } | { not: filter } | { field, op, value }. Fields: name, email, phone, tag, attr.<key>, ' +
  'orders.count, orders.lifetimeValue, orders.firstAt, orders.lastAt, createdAt, rfm.segment, intent, activity. See the README ("Campaigns").';

/** Segments: saved filters over customers, with a preview of who they match. */
export const segmentsApi: ApiSection = {
  schemas: {
    SegmentFilter: { type: 'object', description: filterDescription },
    Segment: object({ id: { type: 'string' }, name: { type: 'string' }, filter: ref('SegmentFilter'), createdAt: dateTime, updatedAt: dateTime }),
    SegmentPreview: object({
      count: { type: 'integer', description: 'How many live customers match now' },
      sample: { type: 'array', items: ref('Customer'), maxItems: 20, description: 'Up to 20 of them, newest first' },
    }),
  },
  paths: {
    '/api/segments': {
      get: {
        summary: 'Every segment, by name (every agent)',
        ...secured,
        responses: { ...ok('The segments', object({ items: { type: 'array', items: ref('Segment') } })), ...errors(401) },
      },
      post: {
        summary: 'Save a segment (admins)',
        description: '400 invalid_segment with details.path (e.g. filter.all.1.op) for an unknown field, operator or bad value; 409 segment_name_taken.',
        ...secured,
        requestBody: body(segmentInputSchema),
        responses: { 201: { description: 'Saved', content: json(ref('Segment')) }, ...errors(400, 401, 403, 409, 415) },
      },
    },
    '/api/segments/preview': {
      post: {
        summary: 'Who a filter matches now: the count and a sample (every agent)',
        ...secured,
        requestBody: { required: true, content: json(object({ filter: ref('SegmentFilter') })) },
        responses: { ...ok('The preview', ref('SegmentPreview')), ...errors(400, 401, 415) },
      },
    },
    '/api/segments/{id}': {
      get: {
        summary: 'One segment',
        ...secured,
        parameters: [idParameter('Segment id')],
        responses: { ...ok('The segment', ref('Segment')), ...errors(401, 404) },
      },
      patch: {
        summary: 'Rename a segment or change its filter (admins)',
        ...secured,
        parameters: [idParameter('Segment id')],
        requestBody: body(segmentPatchSchema),
        responses: { ...ok('The segment', ref('Segment')), ...errors(400, 401, 403, 404, 409, 415) },
      },
      delete: {
        summary: 'Delete a segment no campaign uses (admins)',
        description: '409 segment_in_use (details.campaignId) while a campaign refers to it.',
        ...secured,
        parameters: [idParameter('Segment id')],
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404, 409) },
      },
    },
    '/api/segments/{id}/preview': {
      get: {
        summary: 'Who a saved segment matches now: the count and a sample',
        ...secured,
        parameters: [idParameter('Segment id')],
        responses: { ...ok('The preview', ref('SegmentPreview')), ...errors(401, 404) },
      },
    },
  },
};
