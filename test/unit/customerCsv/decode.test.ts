import iconv from 'iconv-lite';
import { decodeCsv } from '../../../server/domain/customerCsv/decode';
import { HubError } from '../../../server/domain/errors';

const TEXT = 'name,email\r\n张伟,zhang@example.com\r\n';

function failure(work: () => unknown): HubError {
  try {
    work();
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('expected a HubError');
}

describe('decodeCsv', () => {
  it.each([
    ['UTF-8', Buffer.from(TEXT, 'utf8')],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')])],
    ['UTF-16LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(TEXT, 'utf-16le')])],
    ['UTF-16BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(TEXT, 'utf-16be')])],
    ['GBK', iconv.encode(TEXT, 'gbk')],
  ])('reads %s without being told the charset', (_name, bytes) => {
    expect(decodeCsv(bytes)).toBe(TEXT);
  });

  it('reads GB18030 beyond GBK (four-byte sequences) without being told', () => {
    const text = `${TEXT}𠀀,rare@example.com\r\n`;
    expect(decodeCsv(iconv.encode(text, 'gb18030'))).toBe(text);
  });

  it('uses the charset it is told, even where detection would guess otherwise', () => {
    const big5 = iconv.encode('name\r\n張偉\r\n', 'big5');
    expect(decodeCsv(big5, 'big5')).toBe('name\r\n張偉\r\n');
    expect(decodeCsv(big5)).not.toBe('name\r\n張偉\r\n');
  });

  it('refuses bytes that do not decode, naming their lines', () => {
    const bytes = Buffer.concat([Buffer.from('name,email\n'), Buffer.from([0x41, 0xff, 0x2c, 0x62, 0x0a]), Buffer.from('ok,ok@example.com\n')]);
    const error = failure(() => decodeCsv(bytes, 'utf-8'));
    expect(error.code).toBe('csv_invalid');
    expect(error.details).toEqual({ problems: [{ line: 2, message: expect.stringContaining('Broken encoding') }] });
  });

  it('refuses UTF-16 with half a surrogate pair', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('name\n', 'utf-16le'), Buffer.from([0x00, 0xd8, 0x41, 0x00])]);
    expect(failure(() => decodeCsv(bytes)).details).toEqual({ problems: [{ line: 2, message: expect.any(String) }] });
  });

  it('refuses a charset it does not know as an unsupported media type', () => {
    expect(failure(() => decodeCsv(Buffer.from('name\n'), 'klingon')).code).toBe('unsupported_media_type');
  });
});
