import { sanitizeEmailHtml } from '../../../server/channels/email/sanitizeHtml';

describe('sanitized email HTML', () => {
  it('keeps ordinary formatting', () => {
    const html =
      '<div dir="ltr"><h2>Order 4411</h2><p>Hello <b>Bob</b>, <i>thanks</i> <u>a lot</u> <strong>for</strong> <em>writing</em>.<br>' +
      '<font color="#333333" face="Arial">Regards</font></p><ul><li>one</li></ul><ol><li>two</li></ol>' +
      '<blockquote>quoted</blockquote><pre><code>npm start</code></pre><hr>' +
      '<table><thead><tr><th>Item</th></tr></thead><tbody><tr><td colspan="2">Mug</td></tr></tbody></table></div>';
    // sanitize-html writes void elements XHTML-style.
    expect(sanitizeEmailHtml(html)).toBe(html.replace('<br>', '<br />').replace('<hr>', '<hr />'));
  });

  it('drops scripts, even hidden in SVG', () => {
    expect(sanitizeEmailHtml('<p>Hi</p><script>alert(1)</script>')).toBe('<p>Hi</p>');
    expect(sanitizeEmailHtml('<svg><script>alert(1)</script><circle r="1"></circle></svg>ok')).toBe('ok');
  });

  it('drops event handler attributes', () => {
    expect(sanitizeEmailHtml('<img src=x onerror=alert(1)>')).toBe('<img />');
    expect(sanitizeEmailHtml('<p onclick="steal()" onmouseover="steal()">Hi</p>')).toBe('<p>Hi</p>');
  });

  it.each([
    ['javascript:', '<a href="javascript:alert(1)">x</a>'],
    ['obfuscated javascript:', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
    ['vbscript:', '<a href="vbscript:msgbox(1)">x</a>'],
    ['data:', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
  ])('drops %s links', (_scheme, html) => {
    expect(sanitizeEmailHtml(html)).toBe('<a rel="noopener noreferrer nofollow" target="_blank">x</a>');
  });

  it('opens links in a new tab that learns nothing about the console', () => {
    expect(sanitizeEmailHtml('<a href="https://shop.example/order/4411" target="_self" rel="opener">Order</a>')).toBe(
      '<a href="https://shop.example/order/4411" target="_blank" rel="noopener noreferrer nofollow">Order</a>',
    );
    expect(sanitizeEmailHtml('<a href="mailto:bob@customer.example">Bob</a>')).toContain('href="mailto:bob@customer.example"');
  });

  it('drops style elements and style attributes', () => {
    expect(sanitizeEmailHtml('<style>body{background:url(https://t.example/open)}</style><p style="position:fixed;top:0">Hi</p>')).toBe(
      '<p>Hi</p>',
    );
  });

  it('drops iframes, objects, embeds, forms and the <head>', () => {
    const html =
      '<html><head><title>Newsletter</title><meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/"></head>' +
      '<body><iframe src="https://evil.example"></iframe><object data="x.swf"></object><embed src="x.swf">' +
      '<form action="https://evil.example/login"><input name="password"><button>Log in</button></form><p>Body</p></body></html>';
    expect(sanitizeEmailHtml(html)).toBe('Log in<p>Body</p>');
  });

  it('does not load a remote tracking pixel but keeps its address for "load images"', () => {
    expect(sanitizeEmailHtml('<img src="https://t.shop.example/open.gif?u=42" width="1" height="1" alt="">')).toBe(
      '<img width="1" height="1" alt="" data-remote-src="https://t.shop.example/open.gif?u=42" />',
    );
    expect(sanitizeEmailHtml('<img src="//t.shop.example/open.gif">')).toBe('<img data-remote-src="https://t.shop.example/open.gif" />');
  });

  it('ignores a data-remote-src the sender wrote', () => {
    expect(sanitizeEmailHtml('<img data-remote-src="javascript:alert(1)" src="cid:logo">')).toBe('<img src="cid:logo" />');
  });

  it('keeps inline attachments (cid:) and inline data: images', () => {
    expect(sanitizeEmailHtml('<img src="cid:logo@hub.example" alt="Logo">')).toBe('<img src="cid:logo@hub.example" alt="Logo" />');
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(sanitizeEmailHtml(`<img src="${png}">`)).toBe(`<img src="${png}" />`);
  });

  it('drops images whose source is not an image', () => {
    expect(sanitizeEmailHtml('<img src="data:text/html;base64,PHNjcmlwdD4=">')).toBe('<img />');
    expect(sanitizeEmailHtml('<img src="javascript:alert(1)">')).toBe('<img />');
    expect(sanitizeEmailHtml('<img src="logo.png" srcset="https://t.example/a.png 2x">')).toBe('<img />');
  });

  it('drops remote backgrounds on tables', () => {
    expect(sanitizeEmailHtml('<table background="https://t.example/bg.png"><tr><td background="https://t.example/bg.png">x</td></tr></table>')).toBe(
      '<table><tr><td>x</td></tr></table>',
    );
  });
});
