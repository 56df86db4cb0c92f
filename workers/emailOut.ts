import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { composeReply, isPermanentFailure, type MailTransport } from '../server/channels/email/outbound';
import type { Config } from '../server/config';
import type { DomainContext } from '../server/domain/context';
import { markEmailFailed, markEmailSent } from '../server/domain/delivery';
import { replyContextFor } from '../server/domain/emailThreads';
import { getMessage } from '../server/domain/messages';
import type { EmailOutJob } from '../server/queues';

export type EmailOutDeps = { domain: DomainContext; transport: MailTransport; email: Config['email']; log: Logger };

/**
 * Sends one queued email reply. A message already sent is never sent again (a job retried after
 * a crash finds it marked); a permanent refusal marks it failed and stops the retries.
 */
export function sendEmailReply(deps: EmailOutDeps): (job: Job<EmailOutJob>) => Promise<'sent' | 'already sent'> {
  return async (job) => {
    const message = await getMessage(deps.domain.db, job.data.messageId).catch(() => {
      throw new UnrecoverableError(`message ${job.data.messageId} no longer exists`);
    });
    if (message.delivery?.status === 'sent') return 'already sent';
    if (message.delivery?.status === 'failed') throw new UnrecoverableError('the message was already marked failed');
    const context = await replyContextFor(deps.domain.db, message);
    if (!context.customerEmail) {
      await markEmailFailed(deps.domain, message.id, { reason: 'The customer has no email address', source: 'smtp' });
      throw new UnrecoverableError('the customer has no email address');
    }
    const mail = composeReply(message, { ...context, customerEmail: context.customerEmail }, deps.email);
    try {
      await deps.transport.send(mail);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (isPermanentFailure(error) || lastAttempt) {
        await markEmailFailed(deps.domain, message.id, { reason, source: 'smtp' });
        throw new UnrecoverableError(reason);
      }
      deps.log.warn({ messageId: message.id, jobId: job.id, attempt: job.attemptsMade + 1, reason }, 'email send failed; will retry');
      throw error;
    }
    await markEmailSent(deps.domain, message.id, mail.messageId);
    return 'sent';
  };
}
