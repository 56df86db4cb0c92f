import { decodeCursor, encodeCursor } from '../../../server/domain/cursor';
import { normalizeIdentity } from '../../../server/domain/customers';
import { newId } from '../../../server/domain/ids';
import { excerpt, normalizeBody } from '../../../server/domain/messages';
import { hashPassword, verifyPassword } from '../../../server/domain/passwords';

describe('ids', () => {
  it('are prefixed and strictly increasing, even within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => newId('msg'));
    expect(ids[0]).toMatch(/^msg_[0-9a-z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('cursors', () => {
  it('round-trip their sort key', () => {
    expect(decodeCursor(encodeCursor(['2026-01-01T00:00:00.000Z', 'cnv_1']), ['timestamp', 'string'])).toEqual([
      '2026-01-01T00:00:00.000Z',
      'cnv_1',
    ]);
  });

  it.each(['not base64 json', encodeCursor([1]), encodeCursor(['a', 2])])('refuse %j for a (string, string) key', (cursor) => {
    expect(() => decodeCursor(cursor, ['timestamp', 'string'])).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
  });
});

describe('message bodies', () => {
  it('are trimmed', () => expect(normalizeBody('  hi \n', 10)).toBe('hi'));
  it('may not be empty', () => expect(() => normalizeBody(' \t\n', 10)).toThrow(expect.objectContaining({ code: 'message_empty' })));
  it('may not exceed the limit', () =>
    expect(() => normalizeBody('x'.repeat(11), 10)).toThrow(expect.objectContaining({ code: 'message_too_long' })));
  it('shorten to one-line excerpts', () => {
    expect(excerpt('a\n\nb   c')).toBe('a b c');
    expect(excerpt('x'.repeat(300))).toHaveLength(200);
  });
});

describe('identities', () => {
  it('spell emails and phones one way', () => {
    expect(normalizeIdentity({ kind: 'email', value: ' Alice@Example.COM ' })).toEqual({ kind: 'email', value: 'alice@example.com' });
    expect(normalizeIdentity({ kind: 'phone', value: '+86 (10) 1234-5678' })).toEqual({ kind: 'phone', value: '+861012345678' });
    expect(normalizeIdentity({ kind: 'visitor', value: 'Vis_AbC' })).toEqual({ kind: 'visitor', value: 'Vis_AbC' });
  });
});

describe('passwords', () => {
  it('verify only the password they were made from', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$/);
    await expect(verifyPassword('correct horse', stored)).resolves.toBe(true);
    await expect(verifyPassword('wrong horse', stored)).resolves.toBe(false);
    await expect(verifyPassword('correct horse', 'plain-text')).resolves.toBe(false);
  });
});
