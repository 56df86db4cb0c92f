import type { ParsedMail } from 'mailparser';

const ROBOT_SENDERS = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)([+@]|$)/i;

const headerText = (value: unknown): string =>
  typeof value === 'string' ? value : value && typeof value === 'object' && 'value' in value ? String((value as { value: unknown }).value) : '';

/** An auto-reply or bulk mail (RFC 3834 and common practice): it must never get an automatic answer. */
export function isAutomated(headers: ParsedMail['headers'], from?: string): boolean {
  const autoSubmitted = headerText(headers.get('auto-submitted')).trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-failed-recipients')) return true;
  if (/\b(all|autoreply|oof)\b/i.test(headerText(headers.get('x-auto-response-suppress')))) return true;
  if (/^(bulk|junk|list|auto_reply)$/i.test(headerText(headers.get('precedence')).trim())) return true;
  if (headers.has('list-id') || headers.has('list-unsubscribe')) return true;
  return from !== undefined && ROBOT_SENDERS.test(from);
}
