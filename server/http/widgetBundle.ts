import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { HubError } from '../domain/errors';

/** Where `npm run build:widget` writes the bundle, from the repository root. */
export const WIDGET_BUNDLE = path.resolve(__dirname, '../../widget/dist/widget.js');

export type WidgetScript = { content: Buffer; etag: string };

/**
 * The built widget script, read once per build: a rebuild (new mtime or size) is picked up on
 * the next request without restarting the hub.
 */
export function widgetBundle(file = WIDGET_BUNDLE): { read: () => Promise<WidgetScript> } {
  let cached: (WidgetScript & { version: string }) | undefined;
  return {
    read: async () => {
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) throw new HubError('widget_not_built', 'The widget is not built; run npm run build:widget');
      const version = `${info.mtimeMs}:${info.size}`;
      if (cached?.version !== version) {
        const content = await readFile(file);
        cached = { version, content, etag: `"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"` };
      }
      return cached;
    },
  };
}
