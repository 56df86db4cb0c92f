import { randomBytes, randomUUID } from 'node:crypto';
import { createForm, type Form, type FormInput, formInputSchema } from '../../../server/domain/forms';
import type { TestHub } from '../../support/hub';

/** A form of its own for one test: a contact form mapping every field, unless told otherwise. */
export function makeForm(hub: Pick<TestHub, 'domain'>, overrides: Partial<FormInput> = {}): Promise<Form> {
  return createForm(
    hub.domain.db,
    formInputSchema.parse({
      key: `contact-${randomBytes(5).toString('hex')}`,
      name: 'Contact us',
      fieldMap: { name: 'name', email: 'email', phone: 'phone', message: 'message', subject: 'subject' },
      ...overrides,
    }),
  );
}

export const uniqueEmail = (label: string) => `${label}.${randomUUID().slice(0, 8)}@example.com`;

/** A client address of its own, so one test's submissions never count against another's per-IP limit. */
export const uniqueIp = () => `10.${[...randomBytes(3)].join('.')}`;

/** Rows this test could have written anywhere, to show a refused submission stored nothing. */
export async function storedRows(hub: Pick<TestHub, 'db'>): Promise<Record<string, number>> {
  const tables = ['customers', 'customer_identities', 'conversations', 'messages', 'attachments', 'form_submissions', 'timeline_events'];
  const counts = await Promise.all(
    tables.map(async (table) => [table, Number((await hub.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n)] as const),
  );
  return Object.fromEntries(counts);
}
