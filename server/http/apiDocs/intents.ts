import { intentCorrectionSchema } from '../../domain/classification';
import { intents } from '../../domain/intents';
import { type ApiSection, dateTime, errors, idParameter, inputSchema, json, object, ok, ref, secured } from './parts';

const evaluation = object({
  examples: { type: 'integer' },
  accuracy: { type: 'number' },
  macroF1: { type: 'number', description: 'Unweighted mean of the per-intent F1' },
});

/** Intents: the ones the classifier knows, and agents correcting a conversation's intent. */
export const intentsApi: ApiSection = {
  schemas: {
    IntentModel: object({
      version: { type: 'string', examples: ['20260129T101500Z-1a2b3c4'] },
      trainedAt: dateTime,
      metrics: {
        type: 'object',
        description:
          'Measured by npm run train on the 20% of each set it never trained on: english and chinese (with perIntent ' +
          'precision, recall, f1, support), combined, englishOwn (English written differently, evaluation only), corrections',
        properties: { combined: evaluation, english: evaluation, chinese: evaluation, englishOwn: evaluation, corrections: { oneOf: [{ type: 'null' }, evaluation] } },
      },
    }),
  },
  paths: {
    '/api/intents': {
      get: {
        summary: 'The intents a conversation may have, and the model that classifies messages',
        description:
          'Teams claim intents by these names. `unknown` is what a message gets when the model is less sure than ' +
          'INTENT_CONFIDENCE_THRESHOLD; such conversations go to the default team. model is null when there is none.',
        ...secured,
        responses: {
          ...ok('The intents and the model', object({ intents: { type: 'array', items: { enum: [...intents] } }, model: { oneOf: [{ type: 'null' }, ref('IntentModel')] } })),
          ...errors(401),
        },
      },
    },
    '/api/conversations/{id}/intent': {
      put: {
        summary: "Correct a conversation's intent",
        description:
          'The intent is confirmed (confidence 1): classifying later messages no longer changes it. The customer\'s messages are ' +
          'stored as a training example for the next npm run train (not for `unknown`), the timeline gets a ' +
          'conversation.intent_corrected event {conversationId, from, to, agentId}, and an unassigned conversation is routed again. ' +
          'Setting the intent an agent already set changes nothing.',
        ...secured,
        parameters: [idParameter('Conversation id')],
        requestBody: { required: true, content: json(inputSchema(intentCorrectionSchema)) },
        responses: { ...ok('The conversation', ref('Conversation')), ...errors(400, 401, 404, 415) },
      },
    },
  },
};
