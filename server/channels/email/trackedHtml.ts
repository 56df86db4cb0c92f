// Click and open tracking in a campaign's HTML: links rewritten through the hub, a pixel at the end.

const ANCHOR_HREF = /(<a\b[^>]*?\shref\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi;

/** Points every http(s) link of the HTML at `rewrite(url)`; mailto:, tel: and #anchors stay as they are. */
export function trackLinks(html: string, rewrite: (url: string) => string): string {
  return html.replace(ANCHOR_HREF, (whole, start: string, doubleQuoted: string | undefined, singleQuoted: string | undefined) => {
    const url = decodeAttribute((doubleQuoted ?? singleQuoted ?? '').trim());
    if (!/^https?:\/\//i.test(url)) return whole;
    return `${start}"${escapeAttribute(rewrite(url))}"`;
  });
}

/** The 1x1 image whose loading tells that the message was opened, at the end of the body. */
export function withOpenPixel(html: string, src: string): string {
  const pixel = `<img src="${escapeAttribute(src)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">`;
  const bodyEnd = html.search(/<\/body\s*>/i);
  return bodyEnd === -1 ? `${html}${pixel}` : `${html.slice(0, bodyEnd)}${pixel}${html.slice(bodyEnd)}`;
}

// The rendered HTML escapes values (&amp; in a query string): the URL we sign is what a browser would follow.
function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|quot|apos|lt|gt);/gi, (whole, entity: string) => {
    const named: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };
    if (entity[0] !== '#') return named[entity.toLowerCase()] ?? whole;
    const code = entity[1]?.toLowerCase() === 'x' ? Number.parseInt(entity.slice(2), 16) : Number(entity.slice(1));
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
