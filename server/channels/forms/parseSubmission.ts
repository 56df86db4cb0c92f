import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { HubError } from '../../domain/errors';

/** A file as it arrived, not yet stored. */
export type SubmittedFile = { field: string; filename: string | undefined; contentType: string; content: Buffer };

/** A submission's text fields in the order sent (a repeated name gives a list) and its files. */
export type ParsedSubmission = { fields: Map<string, string | string[]>; files: SubmittedFile[] };

export type SubmissionLimits = {
  /** The whole request body. */
  maxBytes: number;
  maxFileBytes: number;
  maxFiles: number;
  maxFields: number;
  maxFieldNameLength: number;
  /** The longest value a field may hold, in characters. */
  maxFieldChars: number;
  /** The field holding the message, which may be as long as a message may be. */
  message?: { field: string; maxChars: number };
};

/**
 * Reads a form post (multipart/form-data, application/x-www-form-urlencoded or application/json)
 * as it streams in, refusing it as soon as it breaks a limit, before it is all in memory.
 */
export async function parseSubmission(request: Readable, headers: IncomingHttpHeaders, limits: SubmissionLimits): Promise<ParsedSubmission> {
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const length = Number(headers['content-length']);
  try {
    if (length > limits.maxBytes) throw tooLarge(`The submission is larger than ${limits.maxBytes} bytes`);
    if (type === 'application/json') return parseJson(await readLimited(request, limits.maxBytes), limits);
    if (type === 'multipart/form-data' || type === 'application/x-www-form-urlencoded') return await parseForm(request, headers, limits);
    throw new HubError('unsupported_media_type', 'Send the form as multipart/form-data, application/x-www-form-urlencoded or application/json');
  } catch (error) {
    // Drain the rest, so the client finishes sending and reads why it was refused.
    request.unpipe();
    request.resume();
    throw error;
  }
}

const tooLarge = (message: string) => new HubError('payload_too_large', message);
const cutOff = () => new HubError('validation_failed', 'The request body could not be read to its end');

/** Collects fields, enforcing the count and length limits as each arrives. */
class FieldCollector {
  readonly fields = new Map<string, string | string[]>();
  private count = 0;

  constructor(private readonly limits: SubmissionLimits) {}

  /** Adds a value; `truncated` says the parser already cut it at its byte limit. */
  add(name: string, value: string, truncated = false): void {
    this.check(name, value, truncated);
    const earlier = this.fields.get(name);
    this.fields.set(name, earlier === undefined ? value : [earlier, value].flat());
  }

  /** Adds values sent as a list, which stays a list even with one item. */
  addList(name: string, values: string[]): void {
    for (const value of values) this.check(name, value, false);
    this.fields.set(name, values);
  }

  private check(name: string, value: string, truncated: boolean): void {
    if (++this.count > this.limits.maxFields) throw tooLarge(`A submission has at most ${this.limits.maxFields} fields`);
    if (name.length === 0 || name.length > this.limits.maxFieldNameLength) {
      throw new HubError('validation_failed', `Field names have 1 to ${this.limits.maxFieldNameLength} characters`);
    }
    const isMessage = name === this.limits.message?.field;
    const maxChars = isMessage ? this.limits.message!.maxChars : this.limits.maxFieldChars;
    if (truncated || value.length > maxChars) {
      throw new HubError(isMessage ? 'message_too_long' : 'validation_failed', `The field ${name} is longer than ${maxChars} characters`);
    }
  }
}

function parseJson(raw: Buffer, limits: SubmissionLimits): ParsedSubmission {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HubError('invalid_json', 'The request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HubError('validation_failed', 'Send the form fields as one JSON object');
  }
  const collector = new FieldCollector(limits);
  for (const [name, value] of Object.entries(body)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (!values.every(isScalar)) throw new HubError('validation_failed', `The field ${name} must be text, a number, a boolean or a list of those`);
    const texts = values.map((item) => (item === null ? '' : String(item)));
    if (Array.isArray(value)) collector.addList(name, texts);
    else collector.add(name, texts[0]!);
  }
  return { fields: collector.fields, files: [] };
}

const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

function readLimited(request: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      request.off('data', onData);
      reject(tooLarge(`The submission is larger than ${maxBytes} bytes`));
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', () => reject(cutOff()));
    request.once('close', () => request.readableEnded || reject(cutOff()));
  });
}

function parseForm(request: Readable, headers: IncomingHttpHeaders, limits: SubmissionLimits): Promise<ParsedSubmission> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers,
        defParamCharset: 'utf8',
        // busboy counts bytes, while our field limits count characters (a UTF-8 character takes up to
        // four bytes), and it reports a part that reaches its limit exactly as cut: hence the + 1.
        limits: {
          fieldNameSize: limits.maxFieldNameLength * 4 + 1,
          fieldSize: Math.max(limits.maxFieldChars, limits.message?.maxChars ?? 0) * 4 + 1,
          fileSize: limits.maxFileBytes + 1,
        },
      });
    } catch {
      return reject(new HubError('validation_failed', 'The Content-Type has no multipart boundary'));
    }
    const collector = new FieldCollector(limits);
    const files: SubmittedFile[] = [];
    let pendingFiles = 0;
    let parsed = false;
    let failed = false;
    let received = 0;

    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      request.off('data', count);
      request.unpipe(parser);
      request.resume();
      reject(error instanceof HubError ? error : new HubError('validation_failed', 'The form data could not be read'));
    };
    const finish = () => {
      if (parsed && pendingFiles === 0 && !failed) resolve({ fields: collector.fields, files });
    };
    const count = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBytes) fail(tooLarge(`The submission is larger than ${limits.maxBytes} bytes`));
    };

    parser.on('field', (name, value, info) => {
      if (failed) return;
      if (info.nameTruncated) return fail(new HubError('validation_failed', `Field names have at most ${limits.maxFieldNameLength} characters`));
      try {
        collector.add(name, value, info.valueTruncated);
      } catch (error) {
        fail(error);
      }
    });
    parser.on('file', (field, stream, info) => {
      if (field.length === 0 || field.length > limits.maxFieldNameLength) {
        stream.resume();
        return fail(new HubError('validation_failed', `Field names have 1 to ${limits.maxFieldNameLength} characters`));
      }
      pendingFiles++;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(tooLarge(`The file ${info.filename ?? field} is larger than ${limits.maxFileBytes} bytes`)));
      stream.on('end', () => {
        pendingFiles--;
        const content = Buffer.concat(chunks);
        // A file input left empty still sends a part, with no filename and no bytes.
        if (!failed && (info.filename || content.length > 0)) {
          files.push({ field, filename: info.filename, contentType: info.mimeType, content });
          if (files.length > limits.maxFiles) fail(tooLarge(`A submission has at most ${limits.maxFiles} files`));
        }
        finish();
      });
    });
    parser.on('error', fail);
    request.once('error', () => fail(cutOff()));
    // A client that goes away mid-upload never ends the stream: without this the parse would wait forever.
    request.once('close', () => request.readableEnded || fail(cutOff()));
    parser.on('close', () => {
      parsed = true;
      finish();
    });
    request.on('data', count);
    request.pipe(parser);
  });
}
