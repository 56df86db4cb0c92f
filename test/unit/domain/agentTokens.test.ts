import { createHmac } from 'node:crypto';
import { issueAgentToken, verifyAgentToken } from '../../../server/domain/agentTokens';

const secret = 'k'.repeat(64);

describe('agent tokens', () => {
  it('names the agent it was issued for', () => {
    expect(verifyAgentToken(secret, issueAgentToken(secret, 'agt_1')).agentId).toBe('agt_1');
  });

  it('gives every token an id of its own, to revoke it by', () => {
    const first = verifyAgentToken(secret, issueAgentToken(secret, 'agt_1'));
    const second = verifyAgentToken(secret, issueAgentToken(secret, 'agt_1'));
    expect(first.tokenId).toMatch(/^[\w-]{16,}$/);
    expect(second.tokenId).not.toBe(first.tokenId);
  });

  it('keeps accepting a token issued before tokens had ids, and names it by its signature', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ sub: 'agt_1', exp: 4_000_000_000 })).toString('base64url');
    const signature = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
    const verified = verifyAgentToken(secret, `${header}.${claims}.${signature}`);
    expect(verified).toEqual({ agentId: 'agt_1', tokenId: expect.stringMatching(/^sig-/), expiresAt: new Date(4_000_000_000_000) });
    expect(verified.tokenId).not.toContain(signature);
    expect(verifyAgentToken(secret, `${header}.${claims}.${signature}`).tokenId).toBe(verified.tokenId);
  });

  it('expires after twelve hours', () => {
    const issuedAt = new Date('2026-01-01T00:00:00Z');
    const token = issueAgentToken(secret, 'agt_1', issuedAt);
    expect(verifyAgentToken(secret, token, new Date('2026-01-01T11:59:00Z'))).toEqual({
      agentId: 'agt_1',
      tokenId: expect.any(String),
      expiresAt: new Date('2026-01-01T12:00:00Z'),
    });
    expect(() => verifyAgentToken(secret, token, new Date('2026-01-01T12:00:00Z'))).toThrow(
      expect.objectContaining({ code: 'unauthorized' }),
    );
  });

  it.each([
    ['another key', () => issueAgentToken('x'.repeat(64), 'agt_1')],
    ['altered claims', () => {
      const [header, , signature] = issueAgentToken(secret, 'agt_1').split('.');
      const claims = Buffer.from(JSON.stringify({ sub: 'agt_admin', exp: 9_999_999_999 })).toString('base64url');
      return `${header}.${claims}.${signature}`;
    }],
    ['garbage', () => 'a.b.c'],
    ['no token', () => undefined],
    ['a number', () => 42],
  ])('refuses a token with %s', (_case, token) => {
    expect(() => verifyAgentToken(secret, token())).toThrow(expect.objectContaining({ code: 'unauthorized' }));
  });
});
