import { scheduleRequest } from '../../domain/campaignSending';
import { recipientListQuery, recipientStatuses } from '../../domain/campaignStats';
import { suppressionInputSchema, suppressionListQuery, suppressionReasons } from '../../domain/suppressions';
import { type ApiSection, dateTime, errors, idParameter, inputSchema, json, nullable, object, ok, page, queryParameters, ref, secured } from './parts';

const count = { type: 'integer', minimum: 0 };
const tokenParameter = { name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: 'The signed token from the email' };
const htmlPage = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const stateAction = (summary: string, description: string) => ({
  post: {
    summary,
    description,
    ...secured,
    parameters: [idParameter('Campaign id')],
    responses: { ...ok('The campaign', ref('Campaign')), ...errors(401, 403, 404, 409) },
  },
});

/** Sending campaigns, their figures, the tracked links in their mail, and the suppression list. */
export const campaignSendingApi: ApiSection = {
  schemas: {
    CampaignStats: object({
      recipients: { ...count, description: 'Customers it is mailed to (skipped ones apart): sent + failed + pending' },
      sent: { ...count, description: 'Accepted by the mail server, bounced ones included' },
      failed: count,
      bounced: count,
      opened: { ...count, description: 'Recipients who opened (or clicked)' },
      clicked: { ...count, description: 'Recipients who clicked at least one link' },
      unsubscribed: count,
      pending: { ...count, description: 'Queued or being sent' },
      skipped: { ...count, description: 'Not mailed: no email, suppressed, erased or cancelled' },
    }),
    CampaignRecipient: object({
      id: { type: 'string' },
      customerId: { type: 'string' },
      email: nullable('string'),
      status: { enum: [...recipientStatuses] },
      skipReason: { enum: ['no_email', 'suppressed', 'erased', 'cancelled', null] },
      messageId: nullable('string', { description: 'The Message-ID every attempt carries' }),
      attempts: count,
      error: nullable('string'),
      sentAt: nullable('string', { format: 'date-time' }),
    }),
    Suppression: object({
      email: { type: 'string', format: 'email' },
      reason: { enum: [...suppressionReasons] },
      campaignId: nullable('string'),
      createdAt: dateTime,
    }),
  },
  paths: {
    '/api/campaigns/{id}/schedule': {
      post: {
        summary: 'Schedule a draft campaign (admins): now, or at a time in a time zone',
        description:
          'draft (or scheduled, to move it) -> scheduled. At that time the recipients are materialised from the segment ' +
          '(customers without email or suppressed are skipped with a reason) and sending starts at the campaign\'s rate. ' +
          'A time in the past is 400 validation_failed; another state is 409 campaign_state.',
        ...secured,
        parameters: [idParameter('Campaign id')],
        requestBody: { required: false, content: json(inputSchema(scheduleRequest)) },
        responses: { ...ok('The campaign', ref('Campaign')), ...errors(400, 401, 403, 404, 409, 415) },
      },
    },
    '/api/campaigns/{id}/pause': stateAction('Pause a sending campaign (admins)', 'No further recipient is taken; sends under way finish. 409 campaign_state unless sending.'),
    '/api/campaigns/{id}/resume': stateAction('Resume a paused campaign (admins)', 'Sending goes on with the recipients still queued. 409 campaign_state unless paused.'),
    '/api/campaigns/{id}/cancel': stateAction('Cancel a scheduled, sending or paused campaign (admins)', 'Recipients still queued are skipped (cancelled). 409 campaign_state otherwise.'),
    '/api/campaigns/{id}/stats': {
      get: {
        summary: "A campaign's figures (also pushed to consoles as campaign:stats while it sends)",
        ...secured,
        parameters: [idParameter('Campaign id')],
        responses: { ...ok('The figures', ref('CampaignStats')), ...errors(401, 404) },
      },
    },
    '/api/campaigns/{id}/recipients': {
      get: {
        summary: "A campaign's recipients in planning order",
        ...secured,
        parameters: [idParameter('Campaign id'), ...queryParameters(recipientListQuery)],
        responses: { ...ok('A page of recipients', page('CampaignRecipient')), ...errors(400, 401, 404) },
      },
    },
    '/api/suppressions': {
      get: {
        summary: 'Addresses no campaign mails, newest first',
        ...secured,
        parameters: queryParameters(suppressionListQuery),
        responses: { ...ok('A page of suppressions', page('Suppression')), ...errors(400, 401) },
      },
      post: {
        summary: 'Suppress an address (admins)',
        ...secured,
        requestBody: { required: true, content: json(inputSchema(suppressionInputSchema)) },
        responses: {
          201: { description: 'Suppressed', content: json(ref('Suppression')) },
          200: { description: 'Already suppressed; the first reason stays', content: json(ref('Suppression')) },
          ...errors(400, 401, 403, 415),
        },
      },
    },
    '/api/suppressions/{email}': {
      delete: {
        summary: 'Let campaigns reach an address again (admins)',
        ...secured,
        parameters: [{ name: 'email', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 204: { description: 'Removed' }, ...errors(401, 403, 404) },
      },
    },
    '/t/o/{token}.gif': {
      get: {
        summary: 'Open pixel: always a 1x1 GIF; a valid token records the open once per recipient',
        parameters: [tokenParameter],
        responses: { 200: { description: 'The image', content: { 'image/gif': { schema: { type: 'string', format: 'binary' } } } } },
      },
    },
    '/t/c/{token}': {
      get: {
        summary: 'Tracked link: records the click once per recipient and link, then redirects to the signed URL',
        parameters: [tokenParameter],
        responses: { 302: { description: 'To the link' }, 404: htmlPage('A forged or altered token: nothing is recorded') },
      },
    },
    '/u/{token}': {
      get: {
        summary: 'Unsubscribe page: asks to confirm with a button (a GET never unsubscribes)',
        parameters: [tokenParameter],
        responses: { 200: htmlPage('The confirmation page'), 404: htmlPage('A bad token') },
      },
      post: {
        summary: 'Unsubscribe (RFC 8058 one-click, body List-Unsubscribe=One-Click, or the page\'s button): suppressed at once',
        parameters: [tokenParameter],
        requestBody: { required: false, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { 'List-Unsubscribe': { const: 'One-Click' } } } } } },
        responses: { 200: htmlPage('Unsubscribed'), 404: htmlPage('A bad token: nothing is recorded') },
      },
    },
  },
};
