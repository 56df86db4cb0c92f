import { automationInputSchema, automationListQuery, automationPatchSchema, automationTriggerTypes } from '../../domain/automations';
import { type ApiSection, dateTime, errors, idParameter, inputSchema, json, nullable, object, ok, page, queryParameters, ref, secured } from './parts';

const body = (schema: Parameters<typeof inputSchema>[0]) => ({ required: true, content: json(inputSchema(schema)) });
const count = { type: 'integer', minimum: 0 };

/** Automated campaigns: triggers, steps with waits, enrollments, and the survey page of their mail. */
export const automationsApi: ApiSection = {
  schemas: {
    Automation: object({
      id: { type: 'string' },
      name: { type: 'string' },
      trigger: object({ type: { enum: [...automationTriggerTypes] }, days: { type: 'integer', minimum: 1, description: 'inactivity only' } }, ['type']),
      segmentId: nullable('string'),
      enabled: { type: 'boolean' },
      steps: {
        type: 'array',
        items: object({
          delay: { type: 'integer', minimum: 0, description: 'Seconds before this step: after the trigger (first step) or the previous step' },
          subject: { type: 'string' },
          html: { type: 'string' },
          text: { type: 'string' },
          from: object({ email: { type: 'string', format: 'email' }, name: { type: 'string' } }),
          campaignId: { type: 'string', description: "The step's campaign: its stats and recipients are at /api/campaigns/{id}/…" },
          stats: ref('CampaignStats'),
        }),
      },
      enrollments: object({ active: count, completed: count, stopped: count }),
      createdAt: dateTime,
      updatedAt: dateTime,
    }),
  },
  paths: {
    '/api/automations': {
      get: {
        summary: 'Automations, newest first (every agent)',
        ...secured,
        parameters: queryParameters(automationListQuery),
        responses: { ...ok('A page of automations', page('Automation')), ...errors(400, 401) },
      },
      post: {
        summary: 'Create an automation (admins)',
        description:
          'Each step is sent to each enrolled customer after its delay, through the campaign send worker (suppressions, tracking, ' +
          'List-Unsubscribe, stats). A sequence stops when the customer writes to us or unsubscribes. 400 validation_failed for an ' +
          'unknown trigger, no steps or a negative delay; 400 invalid_template with details { step, field, line, column }.',
        ...secured,
        requestBody: body(automationInputSchema),
        responses: { 201: { description: 'Created', content: json(ref('Automation')) }, ...errors(400, 401, 403, 415) },
      },
    },
    '/api/automations/{id}': {
      get: {
        summary: 'One automation with its steps, their stats and its enrollments',
        ...secured,
        parameters: [idParameter('Automation id')],
        responses: { ...ok('The automation', ref('Automation')), ...errors(401, 404) },
      },
      patch: {
        summary: 'Change an automation (admins)',
        description:
          'steps replace the steps position by position: changed content becomes a new campaign (mail already queued goes out as it was). ' +
          'enabled: false stops every active enrollment.',
        ...secured,
        parameters: [idParameter('Automation id')],
        requestBody: body(automationPatchSchema),
        responses: { ...ok('The automation', ref('Automation')), ...errors(400, 401, 403, 404, 415) },
      },
      delete: {
        summary: 'Delete an automation, its enrollments and its step campaigns (admins)',
        ...secured,
        parameters: [idParameter('Automation id')],
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
      },
    },
    '/s/{token}': {
      get: {
        summary: "A satisfaction survey link (public): rates the resolved conversation as its CSAT",
        description: 'From {{surveyUrl}}?rating=N in a conversation.resolved step. One rating per conversation: a second one leaves the first.',
        parameters: [
          { name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: 'The signed token from the email' },
          { name: 'rating', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 5 }, description: 'Without it the page offers the choices' },
        ],
        responses: {
          200: { description: 'Thank-you page (or the choices)', content: { 'text/html': { schema: { type: 'string' } } } },
          400: { description: 'The rating is not 1 to 5', content: { 'text/html': { schema: { type: 'string' } } } },
          404: { description: 'Not a valid survey link', content: { 'text/html': { schema: { type: 'string' } } } },
          409: { description: 'The conversation was reopened', content: { 'text/html': { schema: { type: 'string' } } } },
        },
      },
    },
  },
};
