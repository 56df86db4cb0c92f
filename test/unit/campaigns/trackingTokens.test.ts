import { createHmac } from 'node:crypto';
import { signTrackingToken, verifyTrackingToken } from '../../../server/domain/campaignTokens';

const KEY = 'k'.repeat(40);

describe('campaign tracking tokens', () => {
  it('read back what was signed, for opens, clicks and unsubscribes', () => {
    for (const token of [
      { kind: 'open', recipientId: '42' },
      { kind: 'unsubscribe', recipientId: '7' },
      { kind: 'click', recipientId: '42', url: 'https://shop.example.com/sale?a=1&b=two.three#top' },
    ] as const) {
      const signed = signTrackingToken(KEY, token);
      expect(signed).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(verifyTrackingToken(KEY, signed)).toEqual(token);
    }
  });

  it('refuse a token signed with another key', () => {
    const signed = signTrackingToken('x'.repeat(40), { kind: 'open', recipientId: '1' });
    expect(verifyTrackingToken(KEY, signed)).toBeUndefined();
  });

  it('refuse a token whose payload was changed to another recipient or URL, keeping the signature', () => {
    const signed = signTrackingToken(KEY, { kind: 'click', recipientId: '5', url: 'https://example.com/' });
    const signature = signed.split('.')[1];
    for (const payload of ['c.6.https://example.com/', 'c.5.https://evil.example/', 'u.5', 'o.5']) {
      expect(verifyTrackingToken(KEY, `${Buffer.from(payload).toString('base64url')}.${signature}`)).toBeUndefined();
    }
  });

  it('refuse malformed, truncated and empty tokens without throwing', () => {
    const signed = signTrackingToken(KEY, { kind: 'open', recipientId: '9' });
    for (const bad of ['', '.', 'abc', signed.slice(0, -1), `${signed}x`, signed.replace('.', ''), '%2e%2e', 'a'.repeat(10_000)]) {
      expect(verifyTrackingToken(KEY, bad)).toBeUndefined();
    }
  });

  it('refuse a correctly signed payload that names no recipient', () => {
    // Signed with the real key but shaped wrongly: verification must not trust the shape.
    const forge = (payload: string) => {
      const key = createHmac('sha256', KEY).update('campaign-tracking-v1').digest();
      return `${Buffer.from(payload).toString('base64url')}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
    };
    expect(verifyTrackingToken(KEY, forge('o.1'))).toEqual({ kind: 'open', recipientId: '1' });
    for (const payload of ['o.0', 'o.-1', 'o.1.extra', 'c.1', 'x.1', 'o.abc']) expect(verifyTrackingToken(KEY, forge(payload))).toBeUndefined();
  });
});
