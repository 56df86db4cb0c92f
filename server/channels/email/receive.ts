import { createHash } from 'node:crypto';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { recordCampaignBounce } from '../../domain/campaignTracking';
import type { DomainContext } from '../../domain/context';
import { findSentEmail, markEmailFailed } from '../../domain/delivery';
import { HubError } from '../../domain/errors';
import { type IngestResult, ingest } from '../../domain/ingest';
import { replyAsSystem } from '../../domain/replies';
import { matchSupportAddress } from './addresses';
import { storeFiles } from './attachmentStore';
import { isAutomated } from './automation';
import { parseBounce } from './bounces';
import { sanitizeEmailHtml } from './sanitizeHtml';
import { visibleText } from './visibleText';

export type ReceiveOutcome =
  | { kind: 'ingested'; result: IngestResult }
  | { kind: 'bounce'; messageId: string | undefined }
  | { kind: 'ignored'; reason: string };

export type EmailReceiverDeps = { domain: DomainContext; email: Config['email']; log: Logger };

/** Refuses a message; `smtpCode` is the reply the SMTP server gives (552 size, 550 otherwise). */
export const rejectEmail = (message: string, smtpCode = 550) => new HubError('email_rejected', message, { smtpCode });

// Message-IDs longer than this are hashed before they become a dedup key (index entries are bounded).
const MAX_MESSAGE_ID_LENGTH = 500;

/**
 * One raw RFC 822 message, from SMTP or the HTTP inbound route, into the hub: a bounce marks the
 * message it refers to as failed; anything else from a customer goes through the one ingest path.
 */
export async function receiveEmail(
  deps: EmailReceiverDeps,
  raw: Buffer,
  envelope: { recipients: readonly string[] },
): Promise<ReceiveOutcome> {
  const mail = await parse(raw);
  const bounce = parseBounce(mail);
  if (bounce) return recordBounce(deps, bounce);

  const sender = mail.from?.value.find((address) => address.address)?.address;
  if (!sender) throw rejectEmail('The message has no From address');
  checkAttachmentLimits(mail, deps.email);

  const recipients = envelope.recipients.length ? envelope.recipients : headerRecipients(mail);
  const support = recipients.map((address) => matchSupportAddress(address, deps.email.supportAddresses)).find(Boolean);
  const automated = isAutomated(mail.headers, sender);
  const text = (mail.text ?? '').trim();
  const subject = mail.subject?.trim() || undefined;
  const files = mail.attachments.filter((attachment) => !isBounceReport(attachment.contentType));
  const body = visibleText(text) || text || subject || (files.length ? '(attachments only)' : '');
  if (!body) throw rejectEmail('The message has no text, subject or attachments');

  const attachments = await storeFiles(
    deps.email.filesDir,
    files.map((file) => ({ filename: file.filename, contentType: file.contentType, content: file.content, contentId: file.cid })),
  );
  const messageId = mail.messageId?.trim() || undefined;
  const result = await ingest(deps.domain, {
    channel: 'email',
    identities: [{ kind: 'email', value: sender }],
    customerName: mail.from?.value[0]?.name || undefined,
    clientId: dedupKey(messageId, raw),
    subject,
    body,
    email: {
      parts: { messageId: messageId ?? null, html: mail.html ? sanitizeEmailHtml(mail.html) : null, text: text || null, automated },
      thread: { messageIds: threadIds(mail), replyToken: support?.replyToken },
      attachments,
    },
  });
  if (result.opened && !result.duplicate && !automated && deps.email.autoAcknowledge) {
    await replyAsSystem(deps.domain, {
      conversationId: result.conversation.id,
      clientId: 'auto-acknowledgement',
      body: renderTemplate(deps.email.autoAcknowledge.template, { name: result.customer.name ?? sender, subject: subject ?? '' }),
    });
  }
  return { kind: 'ingested', result };
}

async function parse(raw: Buffer): Promise<ParsedMail> {
  if (raw.length === 0) throw rejectEmail('The message is empty');
  try {
    return await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch {
    throw rejectEmail('The message is not valid MIME');
  }
}

async function recordBounce(
  deps: EmailReceiverDeps,
  bounce: NonNullable<ReturnType<typeof parseBounce>>,
): Promise<ReceiveOutcome> {
  const reason = [bounce.status, bounce.diagnostic].filter(Boolean).join(' ') || 'The message bounced';
  const messageId = await findSentEmail(deps.domain, bounce.originalMessageId);
  // Not a reply: perhaps a campaign message, whose hard bounce suppresses the address.
  if (!messageId && (await recordCampaignBounce(deps.domain, { originalMessageId: bounce.originalMessageId, permanent: bounce.permanent, reason }))) {
    return { kind: 'bounce', messageId: undefined };
  }
  if (!messageId) {
    deps.log.info({ originalMessageId: bounce.originalMessageId }, 'bounce for a message we did not send; ignored');
    return { kind: 'ignored', reason: 'bounce for an unknown message' };
  }
  if (bounce.permanent) {
    await markEmailFailed(deps.domain, messageId, { reason, source: 'bounce' });
  }
  return { kind: 'bounce', messageId };
}

function checkAttachmentLimits(mail: ParsedMail, limits: Config['email']): void {
  if (mail.attachments.length > limits.attachmentsMaxCount) {
    throw rejectEmail(`The message has ${mail.attachments.length} attachments; at most ${limits.attachmentsMaxCount} are accepted`, 552);
  }
  const tooLarge = mail.attachments.find((attachment) => attachment.size > limits.attachmentMaxBytes);
  if (tooLarge) {
    throw rejectEmail(`The attachment ${tooLarge.filename ?? ''} is larger than ${limits.attachmentMaxBytes} bytes`.replace('  ', ' '), 552);
  }
}

/** In-Reply-To first, then References newest first: the most specific claims come first. */
function threadIds(mail: ParsedMail): string[] {
  const references = typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []);
  const ids = [mail.inReplyTo, ...[...references].reverse()].flatMap((value) => value?.match(/<[^<>\s]+>/g) ?? []);
  return [...new Set(ids)].slice(0, 50);
}

function headerRecipients(mail: ParsedMail): string[] {
  // mailparser parses Delivered-To and X-Original-To into address objects like To and Cc.
  const fields = [mail.headers.get('delivered-to'), mail.headers.get('x-original-to'), mail.to, mail.cc];
  const lists = fields.flatMap((field) => (Array.isArray(field) ? field : [field])).filter(isAddressObject);
  return lists.flatMap((list) => list.value.map((address) => address.address ?? '')).filter(Boolean);
}

const isAddressObject = (value: unknown): value is AddressObject =>
  typeof value === 'object' && value !== null && Array.isArray((value as AddressObject).value);

function dedupKey(messageId: string | undefined, raw: Buffer): string {
  if (messageId && messageId.length <= MAX_MESSAGE_ID_LENGTH) return messageId;
  // Without a usable Message-ID, the same bytes delivered twice are still the same message.
  return `sha256:${createHash('sha256').update(messageId ?? raw).digest('hex')}`;
}

const isBounceReport = (contentType: string) =>
  ['message/delivery-status', 'message/feedback-report', 'text/rfc822-headers'].includes(contentType.toLowerCase());

function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}
