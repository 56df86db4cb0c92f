import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Config } from '../../config';
import type { ReplyContext } from '../../domain/emailThreads';
import type { Message } from '../../domain/messages';
import { replyAddress, splitAddress } from './addresses';
import { emlOutbox } from './emlOutbox';

export type OutgoingEmail = {
  messageId: string;
  from: { name: string; address: string };
  to: { name: string; address: string };
  cc: string[];
  replyTo: string | undefined;
  subject: string;
  text: string;
  inReplyTo: string | undefined;
  references: string[];
  headers: Record<string, string>;
};

/** The reply as an email whose headers keep the customer's thread together. */
export function composeReply(message: Message, context: ReplyContext & { customerEmail: string }, email: Config['email']): OutgoingEmail {
  const supportAddress = email.supportAddresses[0]!;
  return {
    // Derived from our message id, so a retried send carries the same Message-ID.
    messageId: `<${message.id}@${splitAddress(supportAddress).domain}>`,
    from: { name: email.fromName, address: supportAddress },
    to: { name: context.customerName ?? '', address: context.customerEmail },
    // The Cc the agent gave, stored on the message with the subject they chose (or "Re: …").
    cc: message.email?.cc ?? [],
    replyTo: context.replyToken ? replyAddress(supportAddress, context.replyToken) : undefined,
    subject: message.email?.subject ?? 'Re: your message',
    text: message.body,
    inReplyTo: context.inReplyTo,
    references: context.references,
    // RFC 3834: an automatic message says so, so other robots do not answer it.
    headers: message.author.kind === 'system' ? { 'Auto-Submitted': 'auto-replied' } : {},
  };
}

export type MailTransport = { send: (mail: OutgoingEmail) => Promise<void>; close: () => void };

/** SMTP to SMTP_OUT_URL, or, with none configured, .eml files under DATA_DIR/outbox. */
export function createMailTransport(config: Pick<Config, 'dataDir'> & { email: Pick<Config['email'], 'outboundUrl'> }): MailTransport {
  if (config.email.outboundUrl) {
    const transport = nodemailer.createTransport(config.email.outboundUrl);
    return {
      send: async (mail) => {
        await transport.sendMail(toNodemailer(mail));
      },
      close: () => transport.close(),
    };
  }
  const outbox = emlOutbox(config.dataDir);
  return { send: (mail) => outbox.write(toNodemailer(mail)), close: outbox.close };
}

function toNodemailer(mail: OutgoingEmail): SendMailOptions & { messageId: string } {
  return {
    messageId: mail.messageId,
    from: mail.from,
    to: mail.to,
    cc: mail.cc.length > 0 ? mail.cc : undefined,
    replyTo: mail.replyTo,
    subject: mail.subject,
    text: mail.text,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    headers: mail.headers,
  };
}

/** A refusal that retrying will not change (an SMTP 5xx reply). */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
