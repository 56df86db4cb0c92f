// Lines that open the quoted history on their own, in the mail programs our customers use.
const QUOTE_OPENERS = [
  // Gmail, Apple Mail, Thunderbird: "On Thu, Jan 1, 2026 at 10:00 AM Alice <alice@example.com> wrote:"
  /^On\s.{1,250}\swrote:$/,
  // 163, Foxmail, Apple Mail and Gmail in Chinese: "在 2026年1月1日，张三 写道：", "张三 于2026年1月1日周四 写道："
  /^(在|於).{1,250}(写道|寫道)\s*[:：]$/,
  /^.{1,250}(于|於).{1,100}(写道|寫道)\s*[:：]$/,
  // Outlook "-----Original Message-----", QQ Mail "------------------ 原始邮件 ------------------"
  /^-{3,}\s*(Original Message|Original|原始邮件|原始郵件)\s*-{3,}$/i,
];

const opensAlone = (line: string) => QUOTE_OPENERS.some((pattern) => pattern.test(line));

// Outlook and the Chinese clients quote with a header block instead of an attribution line.
const FROM_FIELD = /^\*?(From|发件人|寄件者)\*?\s*[:：]/i;
const SENT_FIELD = /(^|\s)\*?(Sent|Date|发送时间|发送日期|日期|寄件日期|時間)\*?\s*[:：]/i;
const OUTLOOK_RULE = /^_{10,}$/;

// RFC 3676 §4.3 says "-- "; many clients trim the trailing space on the way out, so "--" counts too.
const SIGNATURE_DELIMITER = /^--\s?$/;

// An attribution line left behind a bare ">" block names who wrote and when, not what the customer said.
const ATTRIBUTION = /[:：]$/;
const ATTRIBUTION_HINT = /wrote|writes|写道|寫道|@|\d{4}/i;

/**
 * The text the customer wrote in this message: without the quoted history below it and without the
 * signature. Quotes the customer interleaves with new text above the history are kept.
 */
export function visibleText(text: string): string {
  const normalised = text.replace(/\r\n?/g, '\n');
  const lines = normalised.split('\n');
  const end = stripTrailingQuote(lines, historyStart(lines));
  const visible = lines
    .slice(0, end)
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
  // A message that is nothing but a quote (a bare forward, an empty reply) still says something.
  return visible || normalised.trim();
}

function historyStart(lines: readonly string[]): number {
  const index = lines.findIndex((_line, i) => opensHistory(lines, i));
  return index === -1 ? lines.length : index;
}

function opensHistory(lines: readonly string[], i: number): boolean {
  const raw = lines[i] ?? '';
  if (SIGNATURE_DELIMITER.test(raw)) return true;
  const line = raw.trim();
  if (!line) return false;
  if (opensAlone(line)) return true;
  // Gmail wraps a long attribution ("... <\nalice@example.com> wrote:") over two lines.
  const next = lines[i + 1]?.trim() ?? '';
  if (next && !opensAlone(next) && QUOTE_OPENERS.some((pattern) => pattern.test(`${line} ${next}`))) return true;
  if (OUTLOOK_RULE.test(line)) return isHeaderBlock(lines, nextNonBlank(lines, i + 1));
  return isHeaderBlock(lines, i);
}

// "From:" alone (or "From: Berlin / To: Paris") is something a customer may write; followed by when it
// was sent, it is a quoted header.
function isHeaderBlock(lines: readonly string[], i: number): boolean {
  const line = lines[i]?.trim() ?? '';
  if (!FROM_FIELD.test(line)) return false;
  const rest = line.replace(FROM_FIELD, '');
  return SENT_FIELD.test(rest) || lines.slice(i + 1, i + 4).some((next) => SENT_FIELD.test(next.trim()));
}

function nextNonBlank(lines: readonly string[], from: number): number {
  let i = from;
  while (i < lines.length && !lines[i]?.trim()) i++;
  return i;
}

// A trailing block of ">" lines is quoted history even without a recognised opener above it.
function stripTrailingQuote(lines: readonly string[], end: number): number {
  let cut = end;
  while (cut > 0 && isBlankOrQuoted(lines[cut - 1])) cut--;
  const quoted = lines.slice(cut, end).some((line) => line.trimStart().startsWith('>'));
  if (!quoted) return end;
  const before = nextNonBlankBackwards(lines, cut);
  const attribution = lines[before]?.trim() ?? '';
  return before >= 0 && ATTRIBUTION.test(attribution) && ATTRIBUTION_HINT.test(attribution) ? before : cut;
}

function isBlankOrQuoted(line: string | undefined): boolean {
  const trimmed = line?.trim() ?? '';
  return trimmed === '' || trimmed.startsWith('>');
}

function nextNonBlankBackwards(lines: readonly string[], from: number): number {
  let i = from - 1;
  while (i >= 0 && !lines[i]?.trim()) i--;
  return i;
}
