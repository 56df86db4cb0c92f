// Where quoted history starts, in the mail programs our customers use (English and Chinese).
const QUOTE_HEADERS = [
  /^On .{1,200} wrote:\s*$/,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/,
  /^From:\s.+$/,
  /^在.{1,200}写道[:：]\s*$/,
  /^-{2,}\s*原始邮件\s*-{2,}\s*$/,
  /^发件人[:：].*$/,
];

/** The text the customer wrote in this message: without the quoted history and the signature. */
export function visibleText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const twoLines = `${line} ${lines[i + 1]?.trim() ?? ''}`;
    if (QUOTE_HEADERS.some((pattern) => pattern.test(line) || pattern.test(twoLines)) || lines[i] === '-- ') {
      end = i;
      break;
    }
  }
  // A trailing block of "> " lines is quoted history even without an attribution line.
  while (end > 0 && /^\s*(>.*)?$/.test(lines[end - 1]!)) end--;
  const visible = lines.slice(0, end).join('\n').trim();
  return visible || text.trim();
}
