import type { ParsedMail } from 'mailparser';

export type Bounce = { originalMessageId: string; status?: string; diagnostic?: string; recipient?: string; permanent: boolean };

const field = (text: string, name: string) => text.match(new RegExp(`^${name}:\\s*(.+)$`, 'im'))?.[1]?.trim();

/** A delivery status notification (RFC 3464) about a message we sent, or undefined for anything else. */
export function parseBounce(mail: ParsedMail): Bounce | undefined {
  const contentType = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const isReport = contentType?.value === 'multipart/report' && contentType.params?.['report-type']?.toLowerCase() === 'delivery-status';
  const from = mail.from?.value[0]?.address ?? '';
  const fromRobot = /^(mailer-daemon|postmaster)@/i.test(from);
  if (!isReport && !fromRobot) return undefined;
  const part = (type: string) => mail.attachments.find((attachment) => attachment.contentType.toLowerCase() === type)?.content.toString('utf8');
  const status = part('message/delivery-status') ?? '';
  const original = part('message/rfc822') ?? part('text/rfc822-headers') ?? (fromRobot ? (mail.text ?? '') : '');
  const originalMessageId = field(original, 'Message-ID')?.match(/<[^<>\s]+>/)?.[0];
  if (!originalMessageId) return undefined;
  const code = field(status, 'Status');
  return {
    originalMessageId,
    status: code,
    diagnostic: field(status, 'Diagnostic-Code'),
    recipient: field(status, 'Final-Recipient')?.replace(/^rfc822;\s*/i, ''),
    permanent: code ? code.startsWith('5') : true,
  };
}
