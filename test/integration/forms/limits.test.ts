import request from 'supertest';
import { startTestHub, type TestHub } from '../../support/hub';
import { makeForm, storedRows, uniqueEmail, uniqueIp } from './fixtures';

const PER_IP = 3;
const PER_FORM = 5;

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({
    FORM_RATE_LIMIT_PER_IP: String(PER_IP),
    FORM_RATE_LIMIT_PER_FORM: String(PER_FORM),
    FORM_MAX_BYTES: String(64 * 1024),
    ATTACHMENT_MAX_BYTES: '1024',
    ATTACHMENTS_MAX_COUNT: '2',
    MESSAGE_MAX_LENGTH: '50',
  });
});
afterAll(() => hub.stop());

const submit = (key: string, ip = uniqueIp()) => request(hub.handler).post(`/api/forms/${key}`).set('x-forwarded-for', ip);
const errorBody = (code: string) => ({ error: { code, message: expect.any(String) } });
const submissionCount = async () => Number((await hub.db.query<{ n: string }>('SELECT count(*) AS n FROM form_submissions'))[0]!.n);

/**
 * Sends 2 × limit + 1 submissions one after another: they span at most two one-minute windows,
 * so at least one window sees more than the limit, whenever the minute turns.
 */
async function flood(send: (index: number) => request.Test, limit: number) {
  const statuses: number[] = [];
  let refused: request.Response | undefined;
  for (let index = 0; index < 2 * limit + 1; index++) {
    const response = await send(index);
    statuses.push(response.status);
    refused ??= response.status === 429 ? response : undefined;
  }
  return { statuses, refused };
}

describe('rate limits', () => {
  it('refuses more than FORM_RATE_LIMIT_PER_IP submissions a minute from one address with 429 and Retry-After, storing nothing', async () => {
    const forms = [await makeForm(hub), await makeForm(hub)];
    const ip = uniqueIp();
    const before = await submissionCount();

    // Alternating forms: the limit is on the address, whatever it posts to.
    const { statuses, refused } = await flood((index) => submit(forms[index % 2]!.key, ip).send({ email: uniqueEmail('ip'), message: 'Hi' }), PER_IP);

    expect(statuses.slice(0, PER_IP)).toEqual(Array(PER_IP).fill(201));
    const retryAfter = Number(refused?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused?.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String), details: { retryAfter } } });
    expect(await submissionCount()).toBe(before + statuses.filter((status) => status === 201).length);
    expect((await submit(forms[0]!.key).send({ email: uniqueEmail('ip'), message: 'Hi' })).status).toBe(201);
  });

  it('refuses more than FORM_RATE_LIMIT_PER_FORM submissions a minute to one form, from any addresses', async () => {
    const form = await makeForm(hub);
    const other = await makeForm(hub);

    const { statuses, refused } = await flood(() => submit(form.key).send({ email: uniqueEmail('form'), message: 'Hi' }), PER_FORM);

    expect(statuses.slice(0, PER_FORM)).toEqual(Array(PER_FORM).fill(201));
    expect(refused?.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused?.body.error.code).toBe('rate_limited');
    expect((await submit(other.key).send({ email: uniqueEmail('form'), message: 'Hi' })).status).toBe(201);
  });
});

describe('size limits', () => {
  it('refuses a body larger than FORM_MAX_BYTES with 413, storing nothing', async () => {
    const form = await makeForm(hub);
    const before = await storedRows(hub);

    const response = await submit(form.key).send({ email: uniqueEmail('big'), message: 'Hi', padding: Array(20).fill('x'.repeat(4000)) });

    expect(response.status).toBe(413);
    expect(response.body).toEqual(errorBody('payload_too_large'));
    expect(await storedRows(hub)).toEqual(before);
  });

  it('refuses more than ATTACHMENTS_MAX_COUNT files with 413, storing nothing', async () => {
    const form = await makeForm(hub);
    const before = await storedRows(hub);

    const response = await submit(form.key)
      .field('email', uniqueEmail('files'))
      .attach('a', Buffer.from('one'), 'a.txt')
      .attach('b', Buffer.from('two'), 'b.txt')
      .attach('c', Buffer.from('three'), 'c.txt');

    expect(response.status).toBe(413);
    expect(response.body).toEqual(errorBody('payload_too_large'));
    expect(await storedRows(hub)).toEqual(before);
  });

  it('accepts exactly ATTACHMENTS_MAX_COUNT files of ATTACHMENT_MAX_BYTES', async () => {
    const form = await makeForm(hub);

    const response = await submit(form.key)
      .field('email', uniqueEmail('files'))
      .attach('a', Buffer.alloc(1024, 1), 'a.bin')
      .attach('b', Buffer.alloc(1024, 2), 'b.bin');

    expect(response.status).toBe(201);
  });

  it('refuses a file larger than ATTACHMENT_MAX_BYTES with 413', async () => {
    const form = await makeForm(hub);
    const before = await storedRows(hub);

    const response = await submit(form.key).field('email', uniqueEmail('bigfile')).attach('a', Buffer.alloc(1025), 'big.bin');

    expect(response.status).toBe(413);
    expect(response.body).toEqual(errorBody('payload_too_large'));
    expect(await storedRows(hub)).toEqual(before);
  });

  it('refuses more than 100 fields with 413', async () => {
    const form = await makeForm(hub);
    const fields = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`extra${index}`, 'x']));

    const response = await submit(form.key).send({ email: uniqueEmail('fields'), ...fields });

    expect(response.status).toBe(413);
    expect(response.body).toEqual(errorBody('payload_too_large'));
  });

  it('refuses a field longer than 10,000 characters with 400, counting characters, not bytes', async () => {
    const form = await makeForm(hub);

    const longest = await submit(form.key).type('form').send({ email: uniqueEmail('long'), notes: 'é'.repeat(10_000) });
    const tooLong = await submit(form.key).type('form').send({ email: uniqueEmail('long'), notes: 'é'.repeat(10_001) });

    expect(longest.status).toBe(201);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toEqual(errorBody('validation_failed'));
  });

  it('refuses a message longer than MESSAGE_MAX_LENGTH with 400 message_too_long, though other fields may be longer', async () => {
    const form = await makeForm(hub);
    const before = await storedRows(hub);

    const tooLong = await submit(form.key).field('email', uniqueEmail('msg')).field('message', 'm'.repeat(51));
    const longNotes = await submit(form.key).field('email', uniqueEmail('msg')).field('message', 'm'.repeat(50)).field('notes', 'n'.repeat(500));

    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toEqual(errorBody('message_too_long'));
    expect(longNotes.status).toBe(201);
    expect((await storedRows(hub)).form_submissions).toBe(before.form_submissions! + 1);
  });
});
