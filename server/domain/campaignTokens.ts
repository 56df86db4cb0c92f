import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './constantTimeEqual';

/** What a link in a campaign email stands for: one recipient's open, click on one URL, unsubscribe, or survey (automationSurvey.ts). */
export type TrackingToken =
  | { kind: 'open'; recipientId: string }
  | { kind: 'click'; recipientId: string; url: string }
  | { kind: 'unsubscribe'; recipientId: string }
  | { kind: 'survey'; recipientId: string };

const KIND_CODES = { open: 'o', click: 'c', unsubscribe: 'u', survey: 's' } as const;
const KINDS_BY_CODE: Record<string, TrackingToken['kind']> = { o: 'open', c: 'click', u: 'unsubscribe', s: 'survey' };
const RECIPIENT_ID = /^[1-9]\d{0,18}$/;
// base64url payload, a dot, then the base64url HMAC-SHA256 (43 characters).
const TOKEN = /^([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/;

/** Its own key, derived from SECRET_KEY, so a tracking token can never pass for an agent token or the reverse. */
const trackingKey = (secretKey: string) => createHmac('sha256', secretKey).update('campaign-tracking-v1').digest();

const sign = (secretKey: string, payload: string) => createHmac('sha256', trackingKey(secretKey)).update(payload).digest('base64url');

/** A URL-safe token: the payload in base64url and its HMAC-SHA256 signature. */
export function signTrackingToken(secretKey: string, token: TrackingToken): string {
  const parts: string[] = [KIND_CODES[token.kind], token.recipientId];
  if (token.kind === 'click') parts.push(token.url);
  const payload = parts.join('.');
  return `${Buffer.from(payload).toString('base64url')}.${sign(secretKey, payload)}`;
}

/** The token's meaning when this server signed it, else undefined (forged, tampered or truncated). */
export function verifyTrackingToken(secretKey: string, token: string): TrackingToken | undefined {
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const payload = Buffer.from(match[1]!, 'base64url').toString('utf8');
  if (!constantTimeEqual(match[2]!, sign(secretKey, payload))) return undefined;
  const [code, recipientId, ...rest] = payload.split('.');
  const kind = KINDS_BY_CODE[code ?? ''];
  if (!kind || !recipientId || !RECIPIENT_ID.test(recipientId)) return undefined;
  if (kind === 'click') return rest.length ? { kind, recipientId, url: rest.join('.') } : undefined;
  return rest.length ? undefined : { kind, recipientId };
}
