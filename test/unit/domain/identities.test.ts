import { HubError } from '../../../server/domain/errors';
import { normalizeIdentity } from '../../../server/domain/identities';

const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error instanceof HubError ? error.code : 'not a HubError';
  }
  return 'no error';
};

describe('normalizeIdentity', () => {
  it.each([
    ['+86 (10) 1234-5678', undefined, '+861012345678'],
    ['0044 20 7946 0958', undefined, '+442079460958'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['138 0013 8000', 'CN', '+8613800138000'],
    ['+1 415 555 2671', 'CN', '+14155552671'],
  ])('writes the phone %s (region %s) as %s', (value, region, e164) => {
    expect(normalizeIdentity({ kind: 'phone', value }, region)).toEqual({ kind: 'phone', value: e164 });
  });

  it.each([
    ['too short', '12', 'US'],
    ['a national number with no region to read it in', '(415) 555-2671', undefined],
    ['letters', 'call me maybe', 'US'],
    ['an unknown country code', '+999 123', undefined],
  ])('refuses a phone that is %s', (_case, value, region) => {
    expect(codeOf(() => normalizeIdentity({ kind: 'phone', value }, region))).toBe('invalid_phone');
  });

  it('trims and lower-cases emails, and refuses what is not one', () => {
    expect(normalizeIdentity({ kind: 'email', value: '  Ada@Example.COM ' })).toEqual({ kind: 'email', value: 'ada@example.com' });
    for (const value of ['ada', 'ada@', '@example.com', 'a b@example.com']) {
      expect(codeOf(() => normalizeIdentity({ kind: 'email', value }))).toBe('invalid_email');
    }
  });

  it('keeps external ids as given, trimmed, and refuses empty ones', () => {
    expect(normalizeIdentity({ kind: 'external', value: ' CRM-42 ' })).toEqual({ kind: 'external', value: 'CRM-42' });
    expect(codeOf(() => normalizeIdentity({ kind: 'external', value: '  ' }))).toBe('validation_failed');
  });
});
