import { campaignPreviewSchema, testSendSchema } from '../../domain/campaignPreview';
import { campaignInputSchema, campaignListQuery, campaignPatchSchema, campaignStatuses } from '../../domain/campaigns';
import { type ApiSection, dateTime, errors, idParameter, inputSchema, json, nullable, object, ok, page, queryParameters, ref, secured } from './parts';

const body = (schema: Parameters<typeof inputSchema>[0]) => ({ required: true, content: json(inputSchema(schema)) });
const count = { type: 'integer' };

/** Campaign drafts, their preview and test send (the state actions and stats are with sending). */
export const campaignsApi: ApiSection = {
  schemas: {
    Campaign: object({
      id: { type: 'string' },
      name: { type: 'string' },
      segmentId: nullable('string'),
      from: object({ email: { type: 'string', format: 'email' }, name: { type: 'string' } }),
      subject: { type: 'string', description: 'Template, e.g. Hi {{default customer.firstName "there"}}' },
      html: { type: 'string', description: 'Template; variables are HTML-escaped' },
      text: { type: 'string', description: 'Template; the plain-text part' },
      status: { enum: [...campaignStatuses] },
      scheduledAt: nullable('string', { format: 'date-time' }),
      timezone: nullable('string'),
      ratePerSecond: { type: 'number', exclusiveMinimum: 0 },
      ratePerHour: nullable('integer'),
      smtpAccount: nullable('string'),
      stats: object({ recipients: count, sent: count, failed: count, bounced: count, opened: count, clicked: count, unsubscribed: count, pending: count, skipped: count }),
      createdAt: dateTime,
      updatedAt: dateTime,
      startedAt: nullable('string', { format: 'date-time' }),
      finishedAt: nullable('string', { format: 'date-time' }),
    }),
    RenderedCampaign: object({ subject: { type: 'string' }, html: { type: 'string' }, text: { type: 'string' }, customerId: nullable('string') }),
  },
  paths: {
    '/api/campaigns': {
      get: {
        summary: 'Campaigns, newest first (every agent)',
        ...secured,
        parameters: queryParameters(campaignListQuery),
        responses: { ...ok('A page of campaigns', page('Campaign')), ...errors(400, 401) },
      },
      post: {
        summary: 'Save a draft campaign (admins)',
        description: '400 invalid_template with details { field, line, column } for an unknown variable or broken syntax; 400 validation_failed for a rate of 0.',
        ...secured,
        requestBody: body(campaignInputSchema),
        responses: { 201: { description: 'Saved', content: json(ref('Campaign')) }, ...errors(400, 401, 403, 415) },
      },
    },
    '/api/campaigns/preview': {
      post: {
        summary: 'Templates rendered for a customer, or an example one (every agent)',
        ...secured,
        requestBody: body(campaignPreviewSchema),
        responses: { ...ok('The rendered campaign', ref('RenderedCampaign')), ...errors(400, 401, 404, 415) },
      },
    },
    '/api/campaigns/{id}': {
      get: {
        summary: 'One campaign with its stats',
        ...secured,
        parameters: [idParameter('Campaign id')],
        responses: { ...ok('The campaign', ref('Campaign')), ...errors(401, 404) },
      },
      patch: {
        summary: 'Change a draft (admins)',
        description: '409 campaign_state (details.status) once it is no longer a draft.',
        ...secured,
        parameters: [idParameter('Campaign id')],
        requestBody: body(campaignPatchSchema),
        responses: { ...ok('The campaign', ref('Campaign')), ...errors(400, 401, 403, 404, 409, 415) },
      },
      delete: {
        summary: 'Delete a draft (admins)',
        description: '409 campaign_state once it is no longer a draft.',
        ...secured,
        parameters: [idParameter('Campaign id')],
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404, 409) },
      },
    },
    '/api/campaigns/{id}/test-send': {
      post: {
        summary: 'Send the campaign, as one customer gets it, to an address of your choice now (admins)',
        description: 'Records nothing (no recipient, stats or timeline); the subject starts with [Test]. 422 email_rejected when the mail server refuses, 503 unavailable when it cannot be reached.',
        ...secured,
        parameters: [idParameter('Campaign id')],
        requestBody: body(testSendSchema),
        responses: {
          ...ok('Sent', object({ to: { type: 'string' }, messageId: { type: 'string' }, customerId: nullable('string') })),
          ...errors(400, 401, 403, 404, 415, 422, 503),
        },
      },
    },
  },
};
