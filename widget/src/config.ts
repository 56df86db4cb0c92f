/** How the page embedded the widget: read once from the script tag's data attributes. */
export interface EmbedConfig {
  /** The hub's origin, e.g. https://support.example.com (data-hub, else the script's own origin). */
  hub: string;
  widgetKey: string | null;
  /** data-language: forces the UI language over the browser's and the hub's choice. */
  language: 'en' | 'zh' | null;
  /** data-notify="sound title": how to catch the visitor's attention; nothing by default. */
  notify: { sound: boolean; title: boolean };
}

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[data-hub], script[src*="widget.js"]');
}

export function readEmbedConfig(): EmbedConfig {
  const script = findScript();
  const data = script?.dataset ?? {};
  const scriptOrigin = script?.src ? new URL(script.src, location.href).origin : location.origin;
  const hub = new URL(data.hub || scriptOrigin, location.href).origin;
  const language = data.language === 'en' || data.language === 'zh' ? data.language : null;
  const notify = (data.notify ?? '').split(/[\s,]+/);
  return {
    hub,
    widgetKey: data.widgetKey || null,
    language,
    notify: { sound: notify.includes('sound'), title: notify.includes('title') },
  };
}
