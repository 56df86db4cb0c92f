import { useEffect, useRef, useState } from 'preact/hooks';
import { LinkedText } from './LinkedText';

/**
 * Nothing inside may fetch anything: remote images are already held back by the hub, and this
 * also stops stylesheets, fonts and `url()` beacons that might have slipped through.
 */
const FRAME_HEAD = `<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<style>
html,body{margin:0;padding:0;background:#fff}
body{font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;color:#1f2328;overflow-wrap:anywhere}
body>:first-child{margin-top:0}body>:last-child{margin-bottom:0}
img,video{max-width:100%;height:auto}
img[data-remote-src]{display:inline-block;min-width:24px;min-height:16px;border:1px dashed #c9ced6;color:#656d76;font-size:12px}
table{max-width:100%}
pre{white-space:pre-wrap}
blockquote{margin:0 0 0 4px;padding-left:10px;border-left:3px solid #e1e4e8;color:#656d76}
a{color:#2563eb}
</style>`;

/**
 * The sanitized HTML of an email in a frame of its own, so its CSS cannot reach the console and
 * the console's cannot reach it, sized to its content.
 *
 * `sandbox="allow-same-origin"` without `allow-scripts`: nothing in the email can ever run, and
 * the console can still read the frame's height and open its links in a new tab. An empty
 * sandbox would make the frame cross-origin, and then no code outside it can measure it (and
 * none may run inside it), so it could never grow to fit.
 */
export function EmailBody({ html, text }: { html: string | null | undefined; text: string }) {
  if (!html) return <TextBody text={text} />;
  return <HtmlFrame html={html} />;
}

function HtmlFrame({ html }: { html: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(60);

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const measure = () => {
      const doc = element.contentDocument;
      if (doc?.documentElement) setHeight(Math.ceil(doc.documentElement.getBoundingClientRect().height));
    };
    const openLinksOutside = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.('a[href]');
      if (!link) return;
      event.preventDefault();
      const href = link.getAttribute('href') ?? '';
      if (/^(https?:|mailto:)/i.test(href)) window.open(href, '_blank', 'noopener,noreferrer');
    };
    let inner: ResizeObserver | undefined;
    const onLoad = () => {
      measure();
      element.contentDocument?.addEventListener('click', openLinksOutside);
      inner?.disconnect();
      inner = new ResizeObserver(measure);
      if (element.contentDocument?.body) inner.observe(element.contentDocument.body);
    };
    element.addEventListener('load', onLoad);
    // A narrower pane re-wraps the text: the frame's own width changing is the cue.
    const outer = new ResizeObserver(measure);
    outer.observe(element);
    if (element.contentDocument?.readyState === 'complete') onLoad();
    return () => {
      element.removeEventListener('load', onLoad);
      outer.disconnect();
      inner?.disconnect();
    };
  }, [html]);

  return (
    <iframe
      ref={frame}
      class="email-frame"
      title="Email content"
      sandbox="allow-same-origin"
      srcdoc={`<!doctype html><html><head>${FRAME_HEAD}</head><body>${html}</body></html>`}
      style={{ height: `${height}px` }}
    />
  );
}

/** Plain-text mail keeps its line breaks; quoted history (lines starting with ">") is folded away. */
function TextBody({ text }: { text: string }) {
  const lines = text.split('\n');
  const firstQuoted = lines.findIndex((line, index) => line.startsWith('>') && lines.slice(index).every((rest) => rest.startsWith('>') || rest.trim() === ''));
  const [showQuoted, setShowQuoted] = useState(false);
  const visible = firstQuoted > 0 && !showQuoted ? lines.slice(0, firstQuoted).join('\n').trimEnd() : text;
  return (
    <div class="email-text">
      <LinkedText text={visible} />
      {firstQuoted > 0 && (
        <button type="button" class="link email-quoted-toggle" aria-expanded={showQuoted} onClick={() => setShowQuoted(!showQuoted)}>
          {showQuoted ? 'Hide quoted text' : 'Show quoted text'}
        </button>
      )}
    </div>
  );
}
