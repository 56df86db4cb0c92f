import { formInputSchema, formPatchSchema, mappedFields } from '../../domain/forms';
import { pageQuery } from '../schemas';
import { type ApiSection, dateTime, errors, inputSchema, json, nullable, object, ok, page, queryParameters, ref, secured } from './parts';

const formKey = { name: 'formKey', in: 'path', required: true, schema: { type: 'string' }, description: "The form's public key" };
const origin = { name: 'Origin', in: 'header', required: false, schema: { type: 'string' }, description: 'Set by browsers; must be one of the allowed origins' };
const corsHeaders = {
  'Access-Control-Allow-Origin': { description: 'The request Origin, when it is allowed', schema: { type: 'string' } },
};
const submissionIds = object({
  submissionId: nullable('string'),
  customerId: nullable('string'),
  conversationId: nullable('string', { description: 'null when the form opens no conversation' }),
  messageId: nullable('string'),
});
const fileValue = object({ filename: { type: 'string' }, size: { type: 'integer' }, contentType: { type: 'string' }, attachmentId: { type: 'string' } });
const fieldValue = {
  oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, fileValue, { type: 'array', items: fileValue }],
};
const submissionFields = { type: 'object', additionalProperties: { type: 'string' }, description: 'The form fields; a repeated name gives several values' };

/** Web forms: their configuration and the public submission route. */
export const formsApi: ApiSection = {
  schemas: {
    Form: object({
      id: { type: 'string' },
      key: { type: 'string', description: 'Public key in POST /api/forms/{formKey}' },
      name: { type: 'string' },
      allowedOrigins: { type: 'array', items: { type: 'string' }, description: "Origins whose pages may post; '*' allows any" },
      fieldMap: { type: 'object', properties: Object.fromEntries(mappedFields.map((field) => [field, { type: 'string' }])), description: 'Which submitted field holds each' },
      opensConversation: { type: 'boolean' },
      redirectUrl: nullable('string', { format: 'uri' }),
      honeypotField: nullable('string'),
      createdAt: dateTime,
      updatedAt: dateTime,
    }),
    FormSubmission: object({
      id: { type: 'string' },
      formId: nullable('string', { description: 'null once the form was deleted' }),
      customerId: { type: 'string' },
      conversationId: nullable('string'),
      messageId: nullable('string'),
      fields: { type: 'object', additionalProperties: fieldValue, description: 'Every submitted field but the honeypot; files as their attachments' },
      origin: nullable('string'),
      ip: nullable('string'),
      userAgent: nullable('string'),
      createdAt: dateTime,
    }),
  },
  paths: {
    '/api/forms/{formKey}': {
      options: {
        summary: 'CORS preflight for a page posting with fetch',
        parameters: [formKey, origin],
        responses: { 204: { description: 'Allowed', headers: corsHeaders }, ...errors(403, 404) },
      },
      post: {
        summary:
          'Submit a form (no token: websites post here). A filled honeypot gets the same success with null ids and stores nothing. ' +
          'At most FORM_MAX_BYTES in all, 100 fields of 10,000 characters (the message up to MESSAGE_MAX_LENGTH), ' +
          'ATTACHMENTS_MAX_COUNT files of ATTACHMENT_MAX_BYTES each',
        parameters: [
          formKey,
          origin,
          { name: 'Accept', in: 'header', required: false, schema: { type: 'string' }, description: 'application/json asks for the ids instead of the redirect' },
          { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 100 }, description: 'The same key for the same form stores one submission' },
        ],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': { schema: submissionFields },
            'multipart/form-data': { schema: { ...submissionFields, additionalProperties: { type: 'string', format: 'binary' }, description: 'Fields and files' } },
            'application/json': { schema: { type: 'object', additionalProperties: { oneOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'array' }] } } },
          },
        },
        responses: {
          201: { description: 'Stored', headers: corsHeaders, content: json(submissionIds) },
          200: { description: 'This Idempotency-Key was used before: the first submission', content: json(submissionIds) },
          303: { description: 'A plain HTML form post (no JSON asked for) to a form with a redirectUrl', headers: { Location: { schema: { type: 'string' } } } },
          429: { description: 'Too many submissions from this address or to this form', headers: { 'Retry-After': { schema: { type: 'integer' } } }, content: json(ref('Error')) },
          ...errors(400, 403, 404, 409, 413, 415),
        },
      },
      get: {
        summary: 'One form',
        ...secured,
        parameters: [formKey],
        responses: { ...ok('The form', ref('Form')), ...errors(401, 404) },
      },
      patch: {
        summary: 'Change a form (admins); the fields given replace theirs',
        ...secured,
        parameters: [formKey],
        requestBody: { required: true, content: json(inputSchema(formPatchSchema)) },
        responses: { ...ok('The form', ref('Form')), ...errors(400, 401, 403, 404, 409, 415) },
      },
      delete: {
        summary: 'Delete a form (admins); its submissions stay with their customers',
        ...secured,
        parameters: [formKey],
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
      },
    },
    '/api/forms': {
      get: {
        summary: 'Every form',
        ...secured,
        responses: { ...ok('The forms', object({ items: { type: 'array', items: ref('Form') } })), ...errors(401) },
      },
      post: {
        summary: 'Create a form (admins)',
        ...secured,
        requestBody: { required: true, content: json(inputSchema(formInputSchema)) },
        responses: { 201: { description: 'Created', content: json(ref('Form')) }, ...errors(400, 401, 403, 409, 415) },
      },
    },
    '/api/forms/{formKey}/submissions': {
      get: {
        summary: "A form's submissions, newest first",
        ...secured,
        parameters: [formKey, ...queryParameters(pageQuery)],
        responses: { ...ok('A page of submissions', page('FormSubmission')), ...errors(400, 401, 404) },
      },
    },
  },
};
