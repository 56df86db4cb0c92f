import { widgetSettingsInput } from '../../domain/widgetSettings';
import { type ApiSection, dateTime, errors, inputSchema, json, object, ok, ref, secured } from './parts';

const color = { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' };
const preChatField = { enum: ['off', 'optional', 'required'] };
const look = {
  key: { type: 'string' },
  colors: object({ primary: color, onPrimary: color }),
  greeting: object({ en: { type: 'string' }, zh: { type: 'string' } }),
  preChat: object({ name: preChatField, email: preChatField }),
  language: { enum: ['auto', 'en', 'zh'] },
};
const anyOrigin = { 'Access-Control-Allow-Origin': { description: 'Always *', schema: { const: '*' } } };
const visitorSecured = { security: [{ visitorId: [] }] };
const attachmentId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Attachment id' };

/** The website chat widget: its script, settings, and visitors' files. */
export const widgetApi: ApiSection = {
  schemas: {
    WidgetSettings: object({ ...look, updatedAt: dateTime }),
    PublicWidgetSettings: object({
      ...look,
      availability: object({
        online: { type: 'boolean', description: 'Within business hours and at least one agent online and available' },
        agentsOnline: { type: 'integer', description: 'Agents online and available' },
        withinBusinessHours: { type: 'boolean', description: 'Always true without SLA_BUSINESS_HOURS' },
      }),
      limits: object({ messageMaxLength: { type: 'integer' }, attachmentMaxBytes: { type: 'integer' } }),
    }),
    WidgetAttachment: object({ id: { type: 'string' }, filename: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer' } }),
  },
  paths: {
    '/widget.js': {
      get: {
        summary: 'The widget script to embed: <script src="…/widget.js" data-hub="…" async> (ETag, cached 5 minutes)',
        responses: {
          200: { description: 'The script', headers: anyOrigin, content: { 'application/javascript': { schema: { type: 'string' } } } },
          304: { description: 'Not modified (If-None-Match)' },
          ...errors(503),
        },
      },
    },
    '/api/widget/settings': {
      get: {
        summary: "A widget's look, team availability and limits (no token; an unknown or absent key gets the default settings)",
        parameters: [{ name: 'key', in: 'query', required: false, schema: { type: 'string' }, description: 'The embed\'s data-widget-key' }],
        responses: { 200: { description: 'The settings', headers: anyOrigin, content: json(ref('PublicWidgetSettings')) } },
      },
    },
    '/api/admin/widget/settings': {
      get: {
        summary: 'Every widget key with its settings (admins)',
        ...secured,
        responses: { ...ok('The settings', object({ items: { type: 'array', items: ref('WidgetSettings') } })), ...errors(401, 403) },
      },
    },
    '/api/admin/widget/settings/{key}': {
      put: {
        summary: "Create or change a widget key's settings (admins); a field left out keeps its value (a new key's come from 'default')",
        ...secured,
        parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' }, description: 'The widget key' }],
        requestBody: { required: true, content: json(inputSchema(widgetSettingsInput)) },
        responses: { ...ok('Saved', ref('WidgetSettings')), ...errors(400, 401, 403, 415) },
      },
    },
    '/api/widget/attachments': {
      options: {
        summary: 'CORS preflight for uploads from any page',
        responses: { 204: { description: 'Allowed', headers: anyOrigin } },
      },
      post: {
        summary: 'A visitor uploads one file (at most ATTACHMENT_MAX_BYTES) to send with their next message (message:send attachmentIds)',
        ...visitorSecured,
        requestBody: {
          required: true,
          content: { 'multipart/form-data': { schema: object({ file: { type: 'string', format: 'binary' } }) } },
        },
        responses: { 201: { description: 'Stored', headers: anyOrigin, content: json(ref('WidgetAttachment')) }, ...errors(400, 401, 413, 415) },
      },
    },
    '/api/widget/attachments/{id}': {
      get: {
        summary: "A file of the visitor's own chat (images inline, anything else as a download); another's answers 404",
        parameters: [attachmentId, { name: 'visitorId', in: 'query', required: true, schema: { type: 'string' }, description: 'The widget session\'s visitor id' }],
        responses: {
          200: { description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          ...errors(404),
        },
      },
    },
  },
};
