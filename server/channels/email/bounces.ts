import type { ParsedMail, StructuredHeader } from 'mailparser';

/** What a bounce says about a message we sent: which one, for whom, and whether delivery is over. */
export type Bounce = { originalMessageId: string; status?: string; diagnostic?: string; recipient?: string; permanent: boolean };

// Senders of the bounces that do not follow RFC 3464 (qmail, older Exim, some hosted mail).
const BOUNCE_SENDER = /^(mailer-daemon|postmaster)@/i;
// Where a report carries the message it is about: whole (RFC 3464 §2) or only its header (RFC 6522).
const ORIGINAL_PARTS = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);
const STATUS_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status']);
const MESSAGE_ID = /^[ \t>]*Message-ID:[ \t]*(<[^<>\s]+>)/im;
// "550 5.1.1" in a diagnostic or a plain-text bounce; a bare "5.1.1" could be part of an IP address.
const ENHANCED_CODE = /\b[245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\b/;
const SOUNDS_TEMPORARY = /\b(delayed|warning|will (retry|be retried|continue)|temporar(y|ily))\b/i;

/** A delivery status notification (RFC 3464, or a MAILER-DAEMON's plain bounce) about a message we sent. */
export function parseBounce(mail: ParsedMail): Bounce | undefined {
  if (!isDeliveryReport(mail) && !BOUNCE_SENDER.test(mail.from?.value[0]?.address ?? '')) return undefined;
  const originalMessageId = findOriginalMessageId(mail);
  if (!originalMessageId) return undefined;

  const text = statusText(mail);
  const fields = recipientFields(text);
  const diagnostic = fields.get('diagnostic-code')?.replace(/^[\w-]+;\s*/, '');
  const status =
    fields.get('status')?.match(/^[245]\.\d{1,3}\.\d{1,3}/)?.[0] ?? (diagnostic ?? text).match(ENHANCED_CODE)?.[1];
  const recipient = (fields.get('final-recipient') ?? fields.get('original-recipient'))?.replace(/^[\w-]+;\s*/, '');
  return {
    originalMessageId,
    status,
    diagnostic,
    recipient: recipient ?? firstHeader(mail, 'x-failed-recipients'),
    permanent: isPermanent(fields.get('action'), status, text),
  };
}

function isDeliveryReport(mail: ParsedMail): boolean {
  // mailparser always parses Content-Type into { value, params }, keeping the case of both values.
  const contentType = mail.headers.get('content-type') as StructuredHeader | undefined;
  return (
    contentType?.value.toLowerCase() === 'multipart/report' &&
    contentType.params['report-type']?.toLowerCase() === 'delivery-status'
  );
}

// mailparser hands message/rfc822 over as an attachment, except when it is marked inline: then it
// splices the embedded message into `text` with only From/Subject/Date/To, and its Message-ID is lost.
function findOriginalMessageId(mail: ParsedMail): string | undefined {
  for (const part of mail.attachments) {
    if (!ORIGINAL_PARTS.has(part.contentType.toLowerCase())) continue;
    const header = part.content.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
    const id = header.replace(/\r?\n[ \t]+/g, ' ').match(MESSAGE_ID)?.[1];
    if (id) return id;
  }
  // Bounces without a MIME structure quote the original header in their text.
  return mail.text?.match(MESSAGE_ID)?.[1];
}

// Unless parsed with keepDeliveryStatus, mailparser appends message/delivery-status to `text`.
function statusText(mail: ParsedMail): string {
  const part = mail.attachments.find((attachment) => STATUS_PARTS.has(attachment.contentType.toLowerCase()));
  return part ? part.content.toString('utf8') : (mail.text ?? '');
}

/**
 * The fields of the recipient the report is mainly about (RFC 3464 §2.3): one block per recipient,
 * blank-line separated, folded like a mail header. A failed recipient matters more than a delayed one.
 */
function recipientFields(text: string): Map<string, string> {
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map(parseFields)
    .filter((fields) => fields.has('status') || fields.has('final-recipient'));
  const byAction = (action: string) => blocks.find((fields) => fields.get('action')?.toLowerCase() === action);
  return byAction('failed') ?? byAction('delayed') ?? blocks[0] ?? new Map();
}

function parseFields(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of block.split('\n')) {
    const field = line.match(/^([A-Za-z][\w-]*):[ \t]*(.*)$/);
    if (field?.[1] !== undefined && field[2] !== undefined) {
      // A repeated field keeps its first value, as a header does; its continuation lines go with it.
      last = fields.has(field[1].toLowerCase()) ? undefined : field[1].toLowerCase();
      if (last) fields.set(last, field[2].trim());
    } else if (last && /^[ \t]+\S/.test(line)) {
      fields.set(last, `${fields.get(last) ?? ''} ${line.trim()}`.trim());
    } else {
      last = undefined;
    }
  }
  return fields;
}

// The Action says whether the MTA gave up (a 4.4.7 "failed" after days in the queue is final too);
// without one, the status class says it; a plain bounce without either is final unless it says otherwise.
function isPermanent(action: string | undefined, status: string | undefined, text: string): boolean {
  if (action) return action.toLowerCase() === 'failed';
  if (status) return status.startsWith('5');
  return !SOUNDS_TEMPORARY.test(text);
}

function firstHeader(mail: ParsedMail, name: string): string | undefined {
  const value = mail.headers.get(name);
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.split(',')[0]?.trim() || undefined : undefined;
}
