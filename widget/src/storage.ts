/**
 * The widget's few persistent values in the host page's localStorage. When storage is refused
 * (blocked third-party storage, some private modes) the values live in memory for this page.
 */
const memory = new Map<string, string>();

export const KEYS = {
  visitorId: 'supporthub:visitorId',
  outbox: 'supporthub:outbox',
  outboxLocks: 'supporthub:outboxLocks',
  seenAt: 'supporthub:seenAt',
  preChatDone: 'supporthub:preChatDone',
} as const;

export function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

export function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    if (value === null) memory.delete(key);
    else memory.set(key, value);
  }
}

export function readJson<T>(key: string, fallback: T): T {
  const raw = read(key);
  if (raw === null) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    // Another script wrote garbage under our key: start over rather than break the chat.
    return fallback;
  }
}

export function writeJson(key: string, value: unknown): void {
  write(key, JSON.stringify(value));
}
