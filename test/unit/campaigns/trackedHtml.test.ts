import { trackLinks, withOpenPixel } from '../../../server/channels/email/trackedHtml';

const track = (html: string) => trackLinks(html, (url) => `https://hub.example.com/t/c/${encodeURIComponent(url)}`);

describe('tracked campaign HTML', () => {
  it('sends every http(s) link through the hub, with the URL a browser would have followed', () => {
    const html = `<p><a href="https://shop.example.com/?a=1&amp;b=2">Shop</a> <a class="x" href='http://example.org/x'>X</a></p>`;
    expect(track(html)).toBe(
      `<p><a href="https://hub.example.com/t/c/${encodeURIComponent('https://shop.example.com/?a=1&b=2')}">Shop</a> ` +
        `<a class="x" href="https://hub.example.com/t/c/${encodeURIComponent('http://example.org/x')}">X</a></p>`,
    );
  });

  it('leaves mailto:, tel:, anchors and non-link elements alone', () => {
    const html = '<a href="mailto:a@example.com">m</a><a href="tel:+1">t</a><a href="#top">top</a><link href="https://cdn.example.com/x.css"><area href="https://example.com/">';
    expect(track(html)).toBe(html);
  });

  it('escapes what it writes into the attribute', () => {
    expect(trackLinks('<a href="https://example.com/">x</a>', () => 'https://hub/"><script>')).toBe('<a href="https://hub/&quot;&gt;&lt;script&gt;">x</a>');
  });

  it('puts the open pixel before </body>, or at the end without one', () => {
    expect(withOpenPixel('<html><body><p>Hi</p></body></html>', 'https://hub/t/o/x.gif')).toMatch(/<p>Hi<\/p><img src="https:\/\/hub\/t\/o\/x\.gif" width="1" height="1"[^>]*><\/body><\/html>$/);
    expect(withOpenPixel('<p>Hi</p>', 'https://hub/p.gif')).toMatch(/^<p>Hi<\/p><img src="https:\/\/hub\/p\.gif"/);
  });
});
