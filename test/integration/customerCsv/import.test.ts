import { randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';

const hub = signedInHub();

const { auth } = hub;
const importCsv = (body: string | Buffer, options: { dryRun?: boolean; contentType?: string } = {}) =>
  request(hub.handler)
    .post(`/api/customers/import${options.dryRun ? '?dryRun=true' : ''}`)
    .set(auth())
    .set('content-type', options.contentType ?? 'text/csv')
    .send(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));
const api = () => ({
  get: (path: string) => request(hub.handler).get(path).set(auth()),
  post: (path: string, body: object) => request(hub.handler).post(path).set(auth()).send(body),
});

async function customerCount(): Promise<number> {
  const [row] = await hub.db.query<{ count: number }>('SELECT count(*)::int AS count FROM customers');
  return row!.count;
}

/** The customer owning an email, as GET /api/customers/:id shows them. */
async function customerByEmail(email: string) {
  const [owner] = await hub.db.query<{ customer_id: string }>(`SELECT customer_id FROM customer_identities WHERE kind = 'email' AND value = $1`, [
    email.toLowerCase(),
  ]);
  if (!owner) return undefined;
  const response = await api().get(`/api/customers/${owner.customer_id}`);
  expect(response.status).toBe(200);
  return response.body;
}

/** Addresses no other test uses. */
const unique = () => {
  const id = randomUUID().slice(0, 8);
  return { id, email: (name: string) => `${name}-${id}@example.com` };
};

describe('POST /api/customers/import: reading the file', () => {
  it('creates the customers of a UTF-8 file with a BOM', async () => {
    const { id, email } = unique();
    const phone = `+86 138 ${String(parseInt(id, 16) % 1e8).padStart(8, '0')}`;
    const text = `\uFEFFname,email,phone,external_id,tags,attr.plan,attr.seats\r\nAda,${email('ada')},${phone},ext-${id},VIP; beta,pro,12\r\n`;

    const response = await importCsv(text);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ dryRun: false, rows: 1, created: 1, updated: 0 });
    expect(await customerByEmail(email('ada'))).toMatchObject({
      name: 'Ada',
      externalId: `ext-${id}`,
      phone: phone.replaceAll(' ', ''),
      tags: ['vip', 'beta'],
      attributes: { plan: 'pro', seats: 12 },
    });
  });

  it('reads GBK bytes as GBK without being told, and a named charset as named', async () => {
    const { email } = unique();
    const detected = iconv.encode(`name,email\r\n张伟,${email('zhang')}\r\n`, 'gbk');
    const named = iconv.encode(`name,email\r\n李娜,${email('li')}\r\n`, 'gbk');

    expect((await importCsv(detected)).status).toBe(200);
    expect((await importCsv(named, { contentType: 'text/csv; charset=gbk' })).status).toBe(200);

    expect((await customerByEmail(email('zhang')))?.name).toBe('张伟');
    expect((await customerByEmail(email('li')))?.name).toBe('李娜');
  });

  it('reads UTF-16LE with a BOM', async () => {
    const { email } = unique();
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(`name,email\r\n王芳,${email('wang')}\r\n`, 'utf-16le')]);

    expect((await importCsv(bytes)).status).toBe(200);
    expect((await customerByEmail(email('wang')))?.name).toBe('王芳');
  });

  it('refuses broken encoding with its line, and writes nothing', async () => {
    const { email } = unique();
    const before = await customerCount();
    const bytes = Buffer.concat([
      Buffer.from(`name,email\r\nGood,${email('good')}\r\n`),
      Buffer.from([0x42, 0xff, 0xfe, 0x2c]),
      Buffer.from(`${email('bad')}\r\n`),
    ]);

    const response = await importCsv(bytes, { contentType: 'text/csv; charset=utf-8' });

    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ code: 'csv_invalid', details: { problems: [{ line: 3, message: expect.stringContaining('Broken encoding') }] } });
    expect(await customerCount()).toBe(before);
  });

  it.each([
    ['an unknown column', 'email,nickname', /Unknown column "nickname"/],
    ['a duplicate column', 'email,EMAIL', /given twice/],
    ['no column naming a customer', 'tags,attr.plan', /none of the columns/],
  ])('refuses a header with %s, and writes nothing', async (_case, header, message) => {
    const { email } = unique();
    const before = await customerCount();

    const response = await importCsv(`${header}\r\n${email('header')},x\r\n`);

    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('csv_invalid');
    expect(response.body.error.details.problems[0].message).toMatch(message);
    expect(await customerCount()).toBe(before);
  });

  it('refuses quoting it cannot parse', async () => {
    const response = await importCsv('name,email\r\n"Ada,ada@example.com\r\n');

    expect(response.status).toBe(422);
    expect(response.body.error.details.problems[0].message).toMatch(/Quote Not Closed/);
  });

  it('refuses more than 100,000 rows', async () => {
    const rows = Array.from({ length: 100_001 }, (_, index) => `row-${index}`).join('\r\n');

    const response = await importCsv(`external_id\r\n${rows}\r\n`);

    expect(response.status).toBe(422);
    expect(response.body.error.details.problems[0].message).toMatch(/at most 100000/);
  });

  it('refuses a body over 20 MB with 413, and a body that is not CSV with 415', async () => {
    expect((await importCsv(Buffer.alloc(20 * 1024 * 1024 + 1, 0x41))).status).toBe(413);
    expect((await importCsv('{"email":"a@example.com"}', { contentType: 'application/json' })).status).toBe(415);
    expect((await importCsv('email\r\na@example.com\r\n', { contentType: 'text/csv; charset=klingon' })).status).toBe(415);
  });
});

describe('POST /api/customers/import: rows with problems', () => {
  it('lists every row problem in a dry run, and refuses the real run with the same list; neither writes', async () => {
    const { email } = unique();
    const text = [
      'name,email,phone,attr.note',
      `Fine,${email('fine')},,plain text stays text`,
      'Bad mail,not-an-email,,',
      'Bad phone,,12,',
      'Nobody,,,',
      `Ragged,${email('ragged')}`,
      `Twice,${email('FINE')},,`,
    ].join('\r\n');
    const before = await customerCount();

    const dryRun = await importCsv(text, { dryRun: true });

    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toEqual({
      dryRun: true,
      rows: 6,
      valid: 1,
      wouldCreate: 1,
      wouldUpdate: 0,
      errors: [
        { row: 2, line: 3, column: 'email', code: 'invalid_email', message: expect.any(String) },
        { row: 3, line: 4, column: 'phone', code: 'invalid_phone', message: expect.any(String) },
        { row: 4, line: 5, code: 'identity_missing', message: expect.any(String) },
        { row: 5, line: 6, code: 'cell_count_mismatch', message: expect.any(String) },
        { row: 6, line: 7, column: 'email', code: 'identity_repeated', message: `${email('fine')} is also on row 1` },
      ],
    });
    expect(await customerCount()).toBe(before);

    const real = await importCsv(text);

    expect(real.status).toBe(422);
    expect(real.body.error).toMatchObject({ code: 'csv_invalid', details: { errors: dryRun.body.errors } });
    expect(await customerCount()).toBe(before);
    expect(await customerByEmail(email('fine'))).toBeUndefined();
  });

  it('writes nothing in a dry run of a good file, and counts what it would create and update', async () => {
    const { email } = unique();
    expect((await api().post('/api/customers', { email: email('known') })).status).toBe(201);
    const before = await customerCount();
    const text = `email,name\r\n${email('known')},Known\r\n${email('new')},New\r\n`;

    const response = await importCsv(text, { dryRun: true });

    expect(response.body).toEqual({ dryRun: true, rows: 2, valid: 2, errors: [], wouldCreate: 1, wouldUpdate: 1 });
    expect(await customerCount()).toBe(before);
    expect((await customerByEmail(email('known')))?.name).toBeNull();
  });

  it('reports identity conflicts with existing customers in the dry run, and still checks the rows after', async () => {
    const { id, email } = unique();
    const first = await api().post('/api/customers', { email: email('first') });
    const second = await api().post('/api/customers', { externalId: `second-${id}` });
    const text = `email,external_id\r\n${email('first')},second-${id}\r\n${email('later')},\r\n`;

    const dryRun = await importCsv(text, { dryRun: true });

    expect(dryRun.body).toMatchObject({ rows: 2, valid: 1, wouldCreate: 1, errors: [{ row: 1, line: 2, code: 'identity_conflict' }] });
    const real = await importCsv(text);
    expect(real.status).toBe(422);
    expect(real.body.error.details.errors).toEqual(dryRun.body.errors);
    expect((await customerByEmail(email('first')))?.id).toBe(first.body.id);
    expect((await api().get(`/api/customers/${second.body.id}`)).body.identities).toEqual([{ kind: 'external', value: `second-${id}` }]);
    expect(await customerByEmail(email('later'))).toBeUndefined();
  });

  it('reports a NUL character as a problem of its row rather than failing the import', async () => {
    const { email } = unique();

    const response = await importCsv(`name,email,attr.note\r\nA\u0000B,${email('nul')},\r\nFine,${email('fine')},x\u0000\r\n`, { dryRun: true });

    expect(response.status).toBe(200);
    expect(response.body.errors).toEqual([
      { row: 1, line: 2, column: 'name', code: 'validation_failed', message: expect.stringContaining('NUL') },
      { row: 2, line: 3, column: 'attr.note', code: 'validation_failed', message: expect.stringContaining('NUL') },
    ]);
  });
});

describe('POST /api/customers/import: upserts', () => {
  it('updates the customers its rows name: attributes merged, tags replaced, empty cells left alone', async () => {
    const { id, email } = unique();
    const existing = await api().post('/api/customers', {
      name: 'Old name',
      externalId: `crm-${id}`,
      attributes: { plan: 'free', city: 'Berlin' },
      tags: ['old'],
    });
    expect(existing.status).toBe(201);
    const text = `external_id,email,name,tags,attr.plan,attr.city\r\ncrm-${id},${email('up')},New name,new;other,pro,\r\n`;

    const response = await importCsv(text);

    expect(response.body).toEqual({ dryRun: false, rows: 1, created: 0, updated: 1 });
    const customer = (await api().get(`/api/customers/${existing.body.id}`)).body;
    expect(customer).toMatchObject({
      name: 'New name',
      email: email('up'),
      externalId: `crm-${id}`,
      attributes: { plan: 'pro', city: 'Berlin' },
      tags: ['new', 'other'],
    });
  });
});
