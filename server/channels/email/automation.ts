// Local parts of senders that are programs: answering them bounces into the void or starts a loop.
const ROBOT_SENDER = /^(mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply)([-+_.].*)?$/i;

const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply']);
// Exchange's way of saying "do not auto-reply to this"; DR/RN/NRN only suppress receipts.
const SUPPRESSED_RESPONSES = new Set(['all', 'autoreply', 'oof']);

/**
 * An auto-reply, bounce or bulk mail (RFC 3834 and common practice): it must never get an automatic
 * answer. `headers` is mailparser's `ParsedMail['headers']` (or any map keyed by lower-case name).
 */
export function isAutomated(headers: ReadonlyMap<string, unknown>, from?: string): boolean {
  // RFC 3834 §5: any Auto-Submitted value but "no"; a repeated header counts if any copy says so.
  if (firstTokens(headers, 'auto-submitted').some((token) => token !== 'no')) return true;
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-failed-recipients')) return true;
  const suppressed = values(headers, 'x-auto-response-suppress').flatMap((value) => value.split(/[\s,]+/));
  if (suppressed.some((token) => SUPPRESSED_RESPONSES.has(token.toLowerCase()))) return true;
  if (firstTokens(headers, 'precedence').some((token) => BULK_PRECEDENCE.has(token))) return true;
  if (isMailingList(headers)) return true;
  return from !== undefined && ROBOT_SENDER.test(localPart(from));
}

// mailparser folds every List-* header into one `list` object ({ id: {…}, unsubscribe: {…} }), so
// `list-id` is never a key of its map; a map of raw header lines still has them under their own names.
function isMailingList(headers: ReadonlyMap<string, unknown>): boolean {
  if (headers.has('list-id') || headers.has('list-unsubscribe')) return true;
  const list = headers.get('list');
  return typeof list === 'object' && list !== null && ('id' in list || 'unsubscribe' in list);
}

// A header repeated in the message is an array; Content-Type-like headers are { value, params }.
function values(headers: ReadonlyMap<string, unknown>, name: string): string[] {
  const flatten = (value: unknown): string[] => {
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.flatMap(flatten);
    if (typeof value === 'object' && value !== null && 'value' in value) return flatten(value.value);
    return [];
  };
  return flatten(headers.get(name));
}

// "auto-replied (vacation); owner-email=…" is an auto-reply; the keyword is what counts.
function firstTokens(headers: ReadonlyMap<string, unknown>, name: string): string[] {
  return values(headers, name)
    .map((value) => value.trim().split(/[\s;(]/)[0]?.toLowerCase() ?? '')
    .filter(Boolean);
}

function localPart(from: string): string {
  const address = from.match(/<([^<>]*)>/)?.[1] ?? from;
  return address.trim().split('@')[0] ?? '';
}
