import type { IdentifyClaim, IdentifyResult } from './types';

type Handler = (payload?: unknown) => void;
type QueuedCall = [string, ...unknown[]];

export interface SupportHubApi {
  identify(claim: IdentifyClaim): Promise<IdentifyResult>;
  open(): void;
  close(): void;
  on(event: string, handler: Handler): () => void;
}

/** The page's side of the widget: events out to the page's handlers. */
export function createEvents() {
  const handlers = new Map<string, Set<Handler>>();
  let ready = false;
  return {
    on(event: string, handler: Handler): () => void {
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event)!.add(handler);
      // A handler added after the widget became ready still hears about it.
      if (event === 'ready' && ready) queueMicrotask(() => handler());
      return () => handlers.get(event)?.delete(handler);
    },
    emit(event: string, payload?: unknown): void {
      if (event === 'ready') ready = true;
      for (const handler of handlers.get(event) ?? []) {
        try {
          handler(payload);
        } catch (error) {
          // The page's handler broke, not the widget: report it and keep notifying the others.
          console.error('[SupportHub] an event handler threw', error);
        }
      }
    },
  };
}

/**
 * Installs window.SupportHub, replaying the calls a page queued before the script loaded
 * (`window.SupportHub = window.SupportHub || []; SupportHub.push(['identify', {...}])`).
 */
export function installApi(api: SupportHubApi): void {
  const target = window as unknown as { SupportHub?: unknown };
  const queued = Array.isArray(target.SupportHub) ? (target.SupportHub as QueuedCall[]) : [];
  target.SupportHub = api;
  for (const [method, ...args] of queued) {
    const call = (api as unknown as Record<string, unknown>)[method];
    if (typeof call !== 'function') {
      console.error(`[SupportHub] unknown queued call "${method}"`);
      continue;
    }
    const result: unknown = call(...args);
    if (result instanceof Promise) result.catch((error: unknown) => console.error(`[SupportHub] ${method} failed`, error));
  }
}
