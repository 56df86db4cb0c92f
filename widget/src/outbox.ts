import type { Attachment } from './types';
import { KEYS, readJson, writeJson } from './storage';

/**
 * Messages the hub has not acknowledged yet, kept in localStorage so they survive reloads and are
 * shared by every tab of the visitor. An entry is added before the first send and removed only
 * when the hub acks it (or refuses it for good).
 */
export interface OutboxEntry {
  /** The hub origin the entry is for: several hubs embedded on one site keep separate outboxes. */
  hub: string;
  clientId: string;
  body: string;
  attachments: Attachment[];
  createdAt: string;
}

/** A tab's claim on an entry while its send is in flight, until an epoch-ms deadline. */
interface Lock {
  tab: string;
  until: number;
}

/**
 * A random UUID. crypto.randomUUID exists only in secure contexts, and the widget also runs on
 * plain-http shops; getRandomValues works everywhere.
 */
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const tabId = randomId();

export function outboxEntries(hub: string): OutboxEntry[] {
  return readJson<OutboxEntry[]>(KEYS.outbox, []).filter((entry) => entry.hub === hub);
}

export function addToOutbox(entry: OutboxEntry): void {
  const all = readJson<OutboxEntry[]>(KEYS.outbox, []);
  if (!all.some((existing) => existing.clientId === entry.clientId)) writeJson(KEYS.outbox, [...all, entry]);
}

export function removeFromOutbox(clientId: string): void {
  const all = readJson<OutboxEntry[]>(KEYS.outbox, []);
  writeJson(KEYS.outbox, all.filter((entry) => entry.clientId !== clientId));
  releaseLock(clientId);
}

export function isInOutbox(clientId: string): boolean {
  return readJson<OutboxEntry[]>(KEYS.outbox, []).some((entry) => entry.clientId === clientId);
}

/**
 * Claims an entry for `ms` so two tabs reconnecting together do not both send it. localStorage is
 * not atomic across tabs, so this only makes a double send rare; the hub's clientId dedupe makes
 * it harmless.
 */
export function tryLock(clientId: string, ms: number): boolean {
  const now = Date.now();
  const locks = readJson<Record<string, Lock>>(KEYS.outboxLocks, {});
  const held = locks[clientId];
  if (held && held.tab !== tabId && held.until > now) return false;
  const live = Object.fromEntries(Object.entries(locks).filter(([, lock]) => lock.until > now));
  writeJson(KEYS.outboxLocks, { ...live, [clientId]: { tab: tabId, until: now + ms } });
  return true;
}

export function releaseLock(clientId: string): void {
  const locks = readJson<Record<string, Lock>>(KEYS.outboxLocks, {});
  if (!(clientId in locks)) return;
  delete locks[clientId];
  writeJson(KEYS.outboxLocks, locks);
}
