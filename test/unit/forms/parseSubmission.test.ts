import { PassThrough, Readable } from 'node:stream';
import { parseSubmission, type SubmissionLimits } from '../../../server/channels/forms/parseSubmission';

const limits: SubmissionLimits = {
  maxBytes: 4096,
  maxFileBytes: 100,
  maxFiles: 2,
  maxFields: 5,
  maxFieldNameLength: 20,
  maxFieldChars: 30,
  message: { field: 'message', maxChars: 60 },
};

/** A request body arriving in chunks, with no Content-Length (as a chunked upload sends it). */
const chunked = (body: string | Buffer, chunkSize = 64) => {
  const bytes = Buffer.from(body);
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunkSize) }, (_, index) => bytes.subarray(index * chunkSize, (index + 1) * chunkSize));
  return Readable.from(chunks);
};

const BOUNDARY = 'XformBoundary42';
function multipart(parts: ({ name: string; value: string } | { name: string; filename: string; type: string; content: Buffer })[]): Buffer {
  const pieces = parts.flatMap((part) => [
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"` +
        ('filename' in part ? `; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n` : '\r\n\r\n'),
    ),
    'filename' in part ? part.content : Buffer.from(part.value),
    Buffer.from('\r\n'),
  ]);
  return Buffer.concat([...pieces, Buffer.from(`--${BOUNDARY}--\r\n`)]);
}
const multipartHeaders = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
const json = { 'content-type': 'application/json' };
const urlencoded = { 'content-type': 'application/x-www-form-urlencoded' };

const refusal = (code: string) => expect.objectContaining({ name: 'HubError', code });

describe('parseSubmission', () => {
  it('reads urlencoded fields in order, a repeated name as a list', async () => {
    const parsed = await parseSubmission(chunked('email=a%40example.com&topic=a&topic=b&note=caf%C3%A9+au+lait', 7), urlencoded, limits);

    expect([...parsed.fields]).toEqual([
      ['email', 'a@example.com'],
      ['topic', ['a', 'b']],
      ['note', 'café au lait'],
    ]);
  });

  it('reads JSON scalars as text and keeps a one-item list a list', async () => {
    const parsed = await parseSubmission(chunked(JSON.stringify({ n: 3, yes: false, none: null, tags: ['x'] })), json, limits);

    expect(Object.fromEntries(parsed.fields)).toEqual({ n: '3', yes: 'false', none: '', tags: ['x'] });
  });

  it('keeps a field named __proto__ as a plain field', async () => {
    const parsed = await parseSubmission(chunked('{"__proto__": "x", "email": "a@example.com"}'), json, limits);

    expect(Object.fromEntries(parsed.fields)).toEqual(JSON.parse('{"__proto__": "x", "email": "a@example.com"}'));
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('reads multipart fields and files with their names, types and bytes, skipping a file input left empty', async () => {
    const content = Buffer.from([0, 1, 2, 255]);
    const body = multipart([
      { name: 'email', value: 'a@example.com' },
      { name: 'photo', filename: 'ünïcode.png', type: 'image/png', content },
      { name: 'empty', filename: '', type: 'application/octet-stream', content: Buffer.alloc(0) },
    ]);

    const parsed = await parseSubmission(chunked(body, 10), multipartHeaders, limits);

    expect(Object.fromEntries(parsed.fields)).toEqual({ email: 'a@example.com' });
    expect(parsed.files).toEqual([{ field: 'photo', filename: 'ünïcode.png', contentType: 'image/png', content }]);
  });

  it('refuses a streamed body over maxBytes as it arrives, without a Content-Length', async () => {
    const body = multipart([{ name: 'f', filename: 'a.bin', type: 'application/octet-stream', content: Buffer.alloc(90) }]);

    await expect(parseSubmission(chunked(body), multipartHeaders, { ...limits, maxBytes: body.length - 1 })).rejects.toEqual(refusal('payload_too_large'));
    await expect(parseSubmission(chunked('{"a": "' + 'x'.repeat(5000) + '"}'), json, limits)).rejects.toEqual(refusal('payload_too_large'));
  });

  it.each([
    ['multipart', multipartHeaders, multipart([{ name: 'email', value: 'a@example.com' }]).subarray(0, 30)],
    ['JSON', json, Buffer.from('{"email": "a@')],
  ])('gives up on a %s body whose client goes away mid-upload', async (_type, headers, start) => {
    const request = new PassThrough();
    const parsing = parseSubmission(request, headers, limits);

    request.write(start);
    request.destroy();

    await expect(parsing).rejects.toEqual(refusal('validation_failed'));
  });

  it('refuses at once a Content-Length over maxBytes', async () => {
    const request = chunked('{}');

    await expect(parseSubmission(request, { ...json, 'content-length': '4097' }, limits)).rejects.toEqual(refusal('payload_too_large'));
  });

  it('accepts a file of exactly maxFileBytes and refuses one byte more', async () => {
    const file = (size: number) => multipart([{ name: 'f', filename: 'a.bin', type: 'application/octet-stream', content: Buffer.alloc(size) }]);

    await expect(parseSubmission(chunked(file(100)), multipartHeaders, limits)).resolves.toMatchObject({ files: [{ content: Buffer.alloc(100) }] });
    await expect(parseSubmission(chunked(file(101)), multipartHeaders, limits)).rejects.toEqual(refusal('payload_too_large'));
  });

  it('refuses more than maxFiles files and more than maxFields fields', async () => {
    const file = (name: string) => ({ name, filename: `${name}.txt`, type: 'text/plain', content: Buffer.from(name) });
    const fields = Array.from({ length: 6 }, (_, index) => `f${index}=x`).join('&');

    await expect(parseSubmission(chunked(multipart([file('a'), file('b'), file('c')])), multipartHeaders, limits)).rejects.toEqual(refusal('payload_too_large'));
    await expect(parseSubmission(chunked(fields), urlencoded, limits)).rejects.toEqual(refusal('payload_too_large'));
  });

  it('measures field values in characters: the message field up to its own limit, others up to maxFieldChars', async () => {
    const encode = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

    await expect(parseSubmission(chunked(encode({ note: '€'.repeat(30), message: '€'.repeat(60) })), urlencoded, limits)).resolves.toBeDefined();
    await expect(parseSubmission(chunked(encode({ note: '€'.repeat(31) })), urlencoded, limits)).rejects.toEqual(refusal('validation_failed'));
    await expect(parseSubmission(chunked(encode({ message: '€'.repeat(61) })), urlencoded, limits)).rejects.toEqual(refusal('message_too_long'));
    await expect(parseSubmission(chunked(multipart([{ name: 'note', value: 'x'.repeat(200) }])), multipartHeaders, limits)).rejects.toEqual(refusal('validation_failed'));
  });

  it('refuses field names longer than maxFieldNameLength', async () => {
    await expect(parseSubmission(chunked(`${'n'.repeat(21)}=x`), urlencoded, limits)).rejects.toEqual(refusal('validation_failed'));
  });

  it.each([
    ['a JSON array', '[1, 2]', json, 'validation_failed'],
    ['nested JSON', '{"a": {"b": 1}}', json, 'validation_failed'],
    ['broken JSON', '{"a": ', json, 'invalid_json'],
    ['multipart without a boundary', 'x', { 'content-type': 'multipart/form-data' }, 'validation_failed'],
    ['malformed multipart', `--${BOUNDARY}\r\nno headers end`, multipartHeaders, 'validation_failed'],
    ['text/plain', 'email=a@example.com', { 'content-type': 'text/plain' }, 'unsupported_media_type'],
    ['no Content-Type', '', {}, 'unsupported_media_type'],
  ])('refuses %s', async (_case, body, headers, code) => {
    await expect(parseSubmission(chunked(body), headers, limits)).rejects.toEqual(refusal(code));
  });
});
