import { performance } from 'node:perf_hooks';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../../server/config';
import { type MessageClassification, recordClassification } from '../../server/domain/classification';
import type { DomainContext } from '../../server/domain/context';
import { HubError } from '../../server/domain/errors';
import { intentModelFile } from '../../server/domain/intents';
import { getMessage } from '../../server/domain/messages';
import type { ClassifyJob } from '../../server/queues';
import { readIntentModel } from './modelFile';

export type ClassifyDeps = { domain: DomainContext; log: Logger; workers: Config['workers']; dataDir: string };
type Classifier = (text: string) => MessageClassification;

/**
 * Classifies one inbound customer message and records it on the conversation, then asks for an
 * unassigned conversation to be routed. The model is read on the first job, once per process.
 */
export function classifyProcessor(deps: ClassifyDeps): (job: Job<ClassifyJob>) => Promise<MessageClassification | 'not a customer message'> {
  let classifier: Promise<Classifier> | undefined;
  const loadClassifier = async (): Promise<Classifier> => {
    const file = intentModelFile({ configuredFile: deps.workers.intentModelFile, dataDir: deps.dataDir });
    if (!file) throw new UnrecoverableError('there is no intent model: run npm run train');
    const model = readIntentModel(file);
    // natural comes in with classifyMessage: imported on the first job, so a process that starts
    // the workers (the server's, with npm start) does not pay its 1.4 s import at start.
    const { classifyMessage } = await import('./classifyMessage');
    deps.log.info({ file, version: model.version }, 'intent model loaded');
    return (text) => classifyMessage(model, text, { threshold: deps.workers.intentConfidenceThreshold });
  };
  const currentClassifier = () => {
    classifier ??= loadClassifier().catch((error: unknown) => {
      classifier = undefined;
      throw error;
    });
    return classifier;
  };

  return async (job) => {
    const message = await getMessage(deps.domain.db, job.data.messageId).catch((error: unknown) => {
      if (error instanceof HubError && error.code === 'message_not_found') throw new UnrecoverableError(`message ${job.data.messageId} no longer exists`);
      throw error;
    });
    if (message.direction !== 'inbound' || message.author.kind !== 'customer') return 'not a customer message';
    // An email's subject often says what it is about in fewer words than its body.
    const text = message.email?.subject ? `${message.email.subject}\n${message.body}` : message.body;
    const classify = await currentClassifier();
    const started = performance.now();
    const result = classify(text);
    const classifyMs = Math.round((performance.now() - started) * 1000) / 1000;
    const conversation = await recordClassification(deps.domain, { conversationId: message.conversationId, messageId: message.id }, result);
    if (!conversation.assigneeId) await deps.domain.queues.route(conversation.id);
    deps.log.debug(
      { jobId: job.id, messageId: message.id, conversationId: conversation.id, intent: result.intent, confidence: result.confidence, classifyMs },
      'classified message',
    );
    return result;
  };
}
