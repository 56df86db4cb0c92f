import { importCustomersCsv } from '../../../server/domain/customerCsv/importCustomers';
import { createCustomer } from '../../../server/domain/customers';
import { DEFAULT_SLA_SETTINGS } from '../../../server/slaConfig';
import { backends, OPEN_BACKEND_TIMEOUT, type OpenedBackend } from '../../support/domainBackends';

describe.each(backends)('importCustomersCsv on %s', (_name, open) => {
  let backend: OpenedBackend;
  beforeAll(async () => {
    backend = await open();
  }, OPEN_BACKEND_TIMEOUT);
  afterAll(() => backend.close());

  const settings = { messageMaxLength: 10_000, attributeMaxBytes: 4096, defaultPhoneRegion: undefined, sla: DEFAULT_SLA_SETTINGS };
  const file = (text: string) => ({ bytes: Buffer.from(text, 'utf8') });
  const customerCount = async () => (await backend.db.query<{ count: number }>('SELECT count(*)::int AS count FROM customers'))[0]!.count;

  it('checks every row past a failing one in a dry run, then writes all rows or none', async () => {
    await createCustomer(backend.db, settings, { email: 'taken@example.com' }, 'create');
    await createCustomer(backend.db, settings, { externalId: 'other' }, 'create');
    const conflicting = 'email,external_id\r\nnew@example.com,\r\ntaken@example.com,other\r\nlater@example.com,\r\n';
    const before = await customerCount();

    const dryRun = await importCustomersCsv(backend.db, settings, file(conflicting), { dryRun: true });

    expect(dryRun).toEqual({
      dryRun: true,
      rows: 3,
      valid: 2,
      wouldCreate: 2,
      wouldUpdate: 0,
      errors: [{ row: 2, line: 3, code: 'identity_conflict', message: expect.any(String) }],
    });
    await expect(importCustomersCsv(backend.db, settings, file(conflicting), { dryRun: false })).rejects.toMatchObject({
      code: 'csv_invalid',
      details: { errors: dryRun.dryRun ? dryRun.errors : [] },
    });
    expect(await customerCount()).toBe(before);

    const result = await importCustomersCsv(backend.db, settings, file('email,name\r\nnew@example.com,New\r\ntaken@example.com,Taken\r\n'), {
      dryRun: false,
    });

    expect(result).toEqual({ dryRun: false, rows: 2, created: 1, updated: 1 });
    expect(await customerCount()).toBe(before + 1);
  });
});
