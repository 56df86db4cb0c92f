/** A message body cut into plain text and web links, so links become <a> elements and nothing else is markup. */
export type Part = { text: string; href?: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
// Sentence punctuation right after a link ("see https://x.com/a.") is not part of it.
const TRAILING = /[.,;:!?)\]}'"]+$/;

export function linkify(body: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const href = match[0].replace(TRAILING, '');
    const start = match.index;
    if (!isWebUrl(href)) continue;
    if (start > last) parts.push({ text: body.slice(last, start) });
    parts.push({ text: href, href });
    last = start + href.length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  return parts;
}

export function isWebUrl(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
