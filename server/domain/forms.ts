import { z } from 'zod';
import type { Database, Queryable } from '../db/database';
import { HubError } from './errors';
import { newId } from './ids';
import { parseInput } from './parseInput';

/** The parts of a submission the hub understands; the form says which submitted field holds each. */
export const mappedFields = ['name', 'email', 'phone', 'message', 'subject'] as const;
export type MappedField = (typeof mappedFields)[number];
export type FieldMap = Partial<Record<MappedField, string>>;

/** A web form that websites post to at POST /api/forms/:key. */
export type Form = {
  id: string;
  key: string;
  name: string;
  /** Origins (scheme://host[:port]) whose pages may post; '*' allows any. Requests without Origin are always allowed. */
  allowedOrigins: string[];
  fieldMap: FieldMap;
  opensConversation: boolean;
  redirectUrl: string | null;
  honeypotField: string | null;
  createdAt: string;
  updatedAt: string;
};

type FormRow = {
  id: string;
  key: string;
  name: string;
  allowed_origins: string[];
  field_map: FieldMap;
  opens_conversation: boolean;
  redirect_url: string | null;
  honeypot_field: string | null;
  created_at: Date;
  updated_at: Date;
};

const toForm = (row: FormRow): Form => ({
  id: row.id,
  key: row.key,
  name: row.name,
  allowedOrigins: row.allowed_origins,
  fieldMap: row.field_map,
  opensConversation: row.opens_conversation,
  redirectUrl: row.redirect_url,
  honeypotField: row.honeypot_field,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** The longest field name a submission may use (and a form may name). */
export const MAX_FIELD_NAME_LENGTH = 100;

const fieldName = z
  .string()
  .trim()
  .min(1)
  .max(MAX_FIELD_NAME_LENGTH)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must be a field name without control characters');

/** An origin as browsers send it in the Origin header: scheme://host[:port], no path. */
const origin = z.string().trim().transform((value, ctx) => {
  if (value === '*') return value;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  const plain = url && ['http:', 'https:'].includes(url.protocol) && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
  if (!plain) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not an origin like https://example.com or '*'` });
    return z.NEVER;
  }
  return url.origin;
});

const formFields = {
  key: z.string().regex(/^[a-z0-9_-]{3,64}$/, 'key must be 3 to 64 characters of a-z, 0-9, - and _'),
  name: z.string().trim().min(1).max(200),
  allowedOrigins: z.array(origin).max(100).describe("Origins allowed to post from a browser, e.g. https://example.com; '*' for any"),
  fieldMap: z
    .object({ name: fieldName.optional(), email: fieldName.optional(), phone: fieldName.optional(), message: fieldName.optional(), subject: fieldName.optional() })
    .strict()
    .describe('Which submitted field holds the name, email, phone, message and subject'),
  opensConversation: z.boolean().describe('Each submission opens a new conversation (a ticket)'),
  redirectUrl: z.url({ protocol: /^https?$/, error: 'redirectUrl must be an http(s) URL' }).max(2000).nullable().describe('Where browsers posting a plain HTML form are sent (303)'),
  honeypotField: fieldName.nullable().describe('A field humans leave empty; a submission filling it is dropped'),
};

// A form must be able to accept a submission: it needs a field that names the customer.
const acceptsSubmissions = <T extends { fieldMap: FieldMap; honeypotField: string | null }>(schema: z.ZodType<T>) =>
  schema
    .refine((form) => Boolean(form.fieldMap.email || form.fieldMap.phone), { message: 'fieldMap must name the email or the phone field', path: ['fieldMap'] })
    .refine((form) => !form.honeypotField || !Object.values(form.fieldMap).includes(form.honeypotField), {
      message: 'honeypotField must not be a mapped field',
      path: ['honeypotField'],
    });

export const formInputSchema = acceptsSubmissions(
  z
    .object({
      ...formFields,
      allowedOrigins: formFields.allowedOrigins.default([]),
      opensConversation: formFields.opensConversation.default(true),
      redirectUrl: formFields.redirectUrl.default(null),
      honeypotField: formFields.honeypotField.default(null),
    })
    .strict(),
);
export type FormInput = z.infer<typeof formInputSchema>;

export const formPatchSchema = z.object(formFields).partial().strict();
export type FormPatch = z.infer<typeof formPatchSchema>;

const UNIQUE_VIOLATION = '23505';

export async function listForms(db: Queryable): Promise<Form[]> {
  const rows = await db.query<FormRow>('SELECT * FROM forms ORDER BY created_at, id');
  return rows.map(toForm);
}

/** The form at /api/forms/:formKey, for the public post and for agents alike. */
export async function getFormByKey(db: Queryable, key: string): Promise<Form> {
  const [row] = await db.query<FormRow>('SELECT * FROM forms WHERE key = $1', [key]);
  if (!row) throw new HubError('form_not_found', `No form ${JSON.stringify(key)}`);
  return toForm(row);
}

export async function createForm(db: Queryable, form: FormInput): Promise<Form> {
  return keyTaken(form.key, async () => {
    const [row] = await db.query<FormRow>(
      `INSERT INTO forms (id, key, name, allowed_origins, field_map, opens_conversation, redirect_url, honeypot_field)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [newId('frm'), form.key, form.name, form.allowedOrigins, JSON.stringify(form.fieldMap), form.opensConversation, form.redirectUrl, form.honeypotField],
    );
    return toForm(row!);
  });
}

/** Applies a partial change; the form as changed must still be a valid form. */
export async function updateForm(db: Database, formId: string, patch: FormPatch): Promise<Form> {
  return db.transaction(async (tx) => {
    const [current] = await tx.query<FormRow>('SELECT * FROM forms WHERE id = $1 FOR UPDATE', [formId]);
    if (!current) throw new HubError('form_not_found', `No form ${formId}`);
    const { id, createdAt, updatedAt, ...kept } = toForm(current);
    const form = parseInput(formInputSchema, { ...kept, ...patch });
    return keyTaken(form.key, async () => {
      const [row] = await tx.query<FormRow>(
        `UPDATE forms SET key = $2, name = $3, allowed_origins = $4, field_map = $5, opens_conversation = $6,
                          redirect_url = $7, honeypot_field = $8, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [id, form.key, form.name, form.allowedOrigins, JSON.stringify(form.fieldMap), form.opensConversation, form.redirectUrl, form.honeypotField],
      );
      return toForm(row!);
    });
  });
}

/** Deletes the form; its submissions stay with their customers. */
export async function deleteForm(db: Queryable, formId: string): Promise<void> {
  const rows = await db.query('DELETE FROM forms WHERE id = $1 RETURNING id', [formId]);
  if (rows.length === 0) throw new HubError('form_not_found', `No form ${formId}`);
}

async function keyTaken<T>(key: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new HubError('form_key_taken', `Another form has the key ${key}`);
    throw error;
  }
}
