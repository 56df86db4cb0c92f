import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A customer's website that embeds the widget with one script tag, styled with the kind of CSS
 * that breaks careless widgets: everything unset, huge red text, buttons hidden, divs absolute.
 */
export async function startHostPage(hubUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Outdoor</title>
<style>
  body * { all: unset; font-size: 40px !important; color: red !important; font-family: serif !important; }
  html, body { display: block; background: #fde !important; }
  h1, p { display: block; margin: 20px; }
  button { display: none !important; }
  div { position: absolute !important; top: 0 !important; left: 0 !important; z-index: 2147483647 !important; }
  span, a { text-transform: uppercase !important; letter-spacing: 8px !important; }
</style></head>
<body><h1>Acme Outdoor</h1><p>Tents, stoves and sleeping bags.</p>
<script src="${hubUrl}/widget.js" data-hub="${hubUrl}" async></script>
</body></html>`;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
