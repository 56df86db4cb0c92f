import { issueAgentToken, verifyAgentToken } from '../../../server/domain/agentTokens';

const secret = 'k'.repeat(64);

describe('agent tokens', () => {
  it('names the agent it was issued for', () => {
    expect(verifyAgentToken(secret, issueAgentToken(secret, 'agt_1'))).toBe('agt_1');
  });

  it('expires after twelve hours', () => {
    const issuedAt = new Date('2026-01-01T00:00:00Z');
    const token = issueAgentToken(secret, 'agt_1', issuedAt);
    expect(verifyAgentToken(secret, token, new Date('2026-01-01T11:59:00Z'))).toBe('agt_1');
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
