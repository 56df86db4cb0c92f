import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { signedInHub } from '../../support/signedInHub';

const hub = signedInHub();

const { auth, post } = hub;
const BOM = '\uFEFF';

/** The export's bytes, exactly as served. */
const exportCsv = (query = '') =>
  request(hub.handler)
    .get(`/api/customers/export${query}`)
    .set(auth())
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
const importCsv = (body: string | Buffer, dryRun = false) =>
  request(hub.handler)
    .post(`/api/customers/import${dryRun ? '?dryRun=true' : ''}`)
    .set(auth())
    .set('content-type', 'text/csv')
    .send(Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'));

/** A tag and addresses no other test uses. */
const unique = () => {
  const id = randomUUID().slice(0, 8);
  return { id, tag: `t${id}`, email: (name: string) => `${name}-${id}@example.com` };
};

async function imported(text: string): Promise<void> {
  const response = await importCsv(text);
  if (response.status !== 200) throw new Error(`import failed: ${response.status} ${response.text}`);
}

describe('GET /api/customers/export', () => {
  it('serves the customers as a UTF-8 CSV with a BOM, CRLF lines and RFC 4180 quoting, as an attachment', async () => {
    const { id, tag, email } = unique();
    await imported(
      [
        'name,email,external_id,tags,attr.seats,attr.meta,attr.city',
        `"Lovelace, Ada ""the first""",${email('ada')},ext-${id},${tag};vip,36,"{""a"":[1,2]}",`,
        `"张伟\nsecond line",${email('zhang')},,${tag},,,北京`,
      ].join('\r\n'),
    );

    const response = await exportCsv(`?tag=${tag.toUpperCase()}`);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="customers.csv"');
    expect((response.body as Buffer).toString('utf8')).toBe(
      BOM +
        'name,email,phone,external_id,tags,attr.city,attr.meta,attr.seats\r\n' +
        `"Lovelace, Ada ""the first""",${email('ada')},,ext-${id},${tag};vip,,"{""a"":[1,2]}",36\r\n` +
        `"张伟\nsecond line",${email('zhang')},,,${tag},北京,,\r\n`,
    );
  });

  it('prefixes cells a spreadsheet would run as a formula with a quote', async () => {
    const { id, tag, email } = unique();
    const phone = `+86138${String(parseInt(id, 16) % 1e8).padStart(8, '0')}`;
    await imported(`name,email,phone,tags,attr.delta,attr.link\r\n"=HYPERLINK(""http://evil"")",${email('eve')},${phone},${tag},-5,@SUM(A1)\r\n`);

    const [, row] = (await exportCsv(`?tag=${tag}`)).body.toString('utf8').split('\r\n');

    expect(row).toBe(`"'=HYPERLINK(""http://evil"")",${email('eve')},'${phone},,${tag},'-5,'@SUM(A1)`);
  });

  it('leaves out merged and erased customers, and customers no import could find again', async () => {
    const { id, tag, email } = unique();
    await imported(
      `email,external_id,tags\r\n${email('kept')},,${tag}\r\n${email('merged')},,${tag}\r\n${email('erased')},,${tag}\r\n,survivor-${id},${tag}\r\n`,
    );
    const ids = await hub.db.query<{ value: string; customer_id: string }>(
      `SELECT value, customer_id FROM customer_identities WHERE value IN ($1, $2, $3)`,
      [email('merged'), email('erased'), `survivor-${id}`],
    );
    const idOf = (value: string) => ids.find((row) => row.value === value)!.customer_id;
    expect((await post(`/api/customers/${idOf(`survivor-${id}`)}/merge`, { sourceId: idOf(email('merged')) })).status).toBe(200);
    expect((await post(`/api/customers/${idOf(email('erased'))}/erase`, {})).status).toBe(200);
    expect((await post('/api/customers', { name: 'Anonymous', tags: [tag] })).status).toBe(201);

    const lines = (await exportCsv(`?tag=${tag}`)).body.toString('utf8').split('\r\n').slice(1, -1);

    expect(lines.map((line: string) => line.split(',').slice(1, 4).join(','))).toEqual([
      `${email('kept')},,`,
      // The survivor gained the merged customer's email; its first identity is its own external id.
      `${email('merged')},,survivor-${id}`,
    ]);
  });

  it('exports only the customers with the tag asked for, a page after another', async () => {
    const { tag, email } = unique();
    const count = 1234;
    const rows = Array.from({ length: count }, (_, index) => `${email(`c${index}`)},${tag}`);
    await imported(`email,tags\r\n${rows.join('\r\n')}\r\n`);
    await imported(`email,tags\r\n${email('other')},other-${tag}\r\n`);

    const lines = (await exportCsv(`?tag=${tag}`)).body.toString('utf8').split('\r\n').slice(1, -1);

    expect(lines).toHaveLength(count);
    expect(new Set(lines.map((line: string) => line.split(',')[1]))).toEqual(new Set(Array.from({ length: count }, (_, index) => email(`c${index}`))));
  });

  it('imports back as a no-op: every row an update, nothing changed', async () => {
    const { id, tag, email } = unique();
    await imported(
      [
        'name,email,phone,external_id,tags,attr.zip,attr.score,attr.note,attr.answer,attr.list',
        `=cmd,${email('a')},+44 20 7946 ${String(parseInt(id, 16) % 1e4).padStart(4, '0')},ext-${id},${tag};x,"""01234""",-1.5,"""true""",true,"[1,""a""]"`,
        `"Quote "" and, comma",${email('b')},,,${tag},,,'@home,,`,
        `李娜,,,only-ext-${id},${tag},,,"two\r\nlines",,`,
      ].join('\r\n'),
    );
    const before = await exportCsv(`?tag=${tag}`);
    const customersBefore = await customersTagged(tag);

    const dryRun = await importCsv(before.body, true);
    const real = await importCsv(before.body);
    const after = await exportCsv(`?tag=${tag}`);

    expect(dryRun.body).toEqual({ dryRun: true, rows: 3, valid: 3, errors: [], wouldCreate: 0, wouldUpdate: 3 });
    expect(real.body).toEqual({ dryRun: false, rows: 3, created: 0, updated: 3 });
    expect(after.body.toString('utf8')).toBe(before.body.toString('utf8'));
    expect(await customersTagged(tag)).toEqual(customersBefore);
    expect(customersBefore.map((customer) => customer.attributes)).toEqual([
      { zip: '01234', score: -1.5, note: 'true', answer: true, list: [1, 'a'] },
      { note: '@home' },
      { note: 'two\r\nlines' },
    ]);
  });
});

/** What the API says about the customers with a tag, without the update time the import moves. */
async function customersTagged(tag: string) {
  const response = await request(hub.handler).get(`/api/customers?tag=${tag}&sort=createdAt&limit=100`).set(auth());
  expect(response.status).toBe(200);
  return (response.body.items as { updatedAt: string; attributes: object }[]).map(({ updatedAt: _, ...customer }) => customer);
}
