import sanitize from 'sanitize-html';

/** Email HTML that is safe to show agents: no scripts, handlers or remote content that phones home. */
export function sanitizeEmailHtml(html: string): string {
  return sanitize(html, {
    allowedTags: [...sanitize.defaults.allowedTags, 'img', 'font', 'span', 'center'],
    allowedAttributes: {
      a: ['href', 'name', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'title', 'width', 'height', 'data-remote-src'],
      td: ['colspan', 'rowspan', 'align', 'valign'],
      th: ['colspan', 'rowspan', 'align', 'valign'],
      font: ['color'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'cid'],
    allowedSchemesByTag: { img: ['cid', 'data'] },
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
      // Remote images would tell the sender when an agent opened the mail: kept aside, not loaded.
      img: (tagName, attribs) => {
        const { src, ...rest } = attribs;
        if (src && /^https?:/i.test(src)) return { tagName, attribs: { ...rest, 'data-remote-src': src } };
        return { tagName, attribs: src ? { ...rest, src } : rest };
      },
    },
  });
}
