import sanitize from 'sanitize-html';

// Remote images tell the sender that, when and from where an agent opened the mail (tracking
// pixels). The console shows them only on request, from this attribute.
const REMOTE_SRC = 'data-remote-src';
const REMOTE_URL = /^(https?:)?\/\//i;
// An SVG inside <img> cannot run script, so every image/* type is safe in a data: URL.
const INLINE_IMAGE = /^data:image\/[\w.+-]+[;,]/i;

const OPTIONS: sanitize.IOptions = {
  allowedTags: [
    'p', 'br', 'div', 'span', 'b', 'i', 'u', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code',
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'img', 'hr', 'font',
  ],
  // No `style` anywhere: CSS can load remote content (background-image, @import, fonts) and can lay
  // a fake login form over the console. Mail loses colours and spacing; an allowlist can come later.
  allowedAttributes: {
    a: ['href', 'name', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height', REMOTE_SRC],
    table: ['width', 'border', 'cellpadding', 'cellspacing', 'align'],
    td: ['colspan', 'rowspan', 'align', 'valign', 'width'],
    th: ['colspan', 'rowspan', 'align', 'valign', 'width'],
    font: ['color', 'face', 'size'],
    '*': ['dir', 'lang', 'align'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  // cid: is an inline attachment of the same mail (RFC 2392); remote images are handled below.
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowProtocolRelative: false,
  // Besides the defaults (script, style…), the <title> of a newsletter's <head> is not body text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title'],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
    img: (tagName, attribs) => ({ tagName, attribs: imageAttributes(attribs) }),
  },
};

/** Email HTML that is safe to show agents: no scripts, handlers, styles or remote content that phones home. */
export function sanitizeEmailHtml(html: string): string {
  return sanitize(html, OPTIONS);
}

function imageAttributes(attribs: sanitize.Attributes): sanitize.Attributes {
  // Drop any data-remote-src the sender wrote: only ours, made from an http(s) src, may reach the console.
  const { src, [REMOTE_SRC]: _senderValue, ...rest } = attribs;
  const url = src?.trim() ?? '';
  if (REMOTE_URL.test(url)) return { ...rest, [REMOTE_SRC]: url.startsWith('//') ? `https:${url}` : url };
  // A relative src has no base in a mail and would hit the console's own server; non-image data: is not an image.
  if (/^cid:/i.test(url) || INLINE_IMAGE.test(url)) return { src: url, ...rest };
  return rest;
}
