import iconv from 'iconv-lite';
import { HubError } from '../errors';

const BOMS: [bytes: number[], charset: string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

// U+FFFD is what a decoder puts where bytes made no sense; a lone surrogate is broken UTF-16.
const BROKEN = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_REPORTED_LINES = 10;

/**
 * The text of an uploaded CSV file. The charset named by the upload wins; else a byte order mark
 * says it; else bytes that are valid UTF-8 are UTF-8, and anything else is taken as GB18030 (a
 * superset of GBK and GB2312), what Excel on a Chinese Windows writes.
 */
export function decodeCsv(bytes: Buffer, charset?: string): string {
  const chosen = charset || detectCharset(bytes);
  if (!iconv.encodingExists(chosen)) throw new HubError('unsupported_media_type', `Unknown charset ${JSON.stringify(chosen)}`);
  const text = iconv.decode(bytes, chosen);
  const brokenLines = linesMatching(text, BROKEN);
  if (brokenLines.length > 0) {
    throw new HubError('csv_invalid', `Broken encoding: the file is not valid ${chosen}`, {
      problems: brokenLines.slice(0, MAX_REPORTED_LINES).map((line) => ({ line, message: `Broken encoding: bytes that are not ${chosen}` })),
    });
  }
  return text;
}

function detectCharset(bytes: Buffer): string {
  const marked = BOMS.find(([bom]) => bom.every((byte, index) => bytes[index] === byte));
  if (marked) return marked[1];
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** The 1-based numbers of the lines `pattern` matches in. */
function linesMatching(text: string, pattern: RegExp): number[] {
  if (!pattern.test(text)) return [];
  return text.split(/\r\n|\r|\n/).flatMap((line, index) => (pattern.test(line) ? [index + 1] : []));
}
