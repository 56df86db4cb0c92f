import type { DomainContext } from '../../domain/context';
import { type Identity, normalizeIdentity } from '../../domain/customers';
import { HubError } from '../../domain/errors';
import { type Form, MAX_FIELD_NAME_LENGTH } from '../../domain/forms';
import { type FormIngestResult, ingestFormSubmission } from '../../domain/ingest';
import { storeFiles } from '../email/attachmentStore';
import type { ParsedSubmission, SubmissionLimits, SubmittedFile } from './parseSubmission';

export type FormReceiverDeps = { domain: DomainContext; filesDir: string };

/** Where a submission came from, and the caller's Idempotency-Key. */
export type SubmissionSource = { clientId?: string; origin: string | null; ip: string | null; userAgent: string | null };

export type FormOutcome = { kind: 'stored'; result: FormIngestResult } | { kind: 'dropped' };

const MAX_FIELDS = 100;
const MAX_FIELD_CHARS = 10_000;
const MAX_NAME_CHARS = 200;
const MAX_SUBJECT_CHARS = 200;

/** The limits a submission to this form is read under. */
export function submissionLimits(
  form: Form,
  config: { formMaxBytes: number; attachmentMaxBytes: number; attachmentsMaxCount: number; messageMaxLength: number },
): SubmissionLimits {
  return {
    maxBytes: config.formMaxBytes,
    maxFileBytes: config.attachmentMaxBytes,
    maxFiles: config.attachmentsMaxCount,
    maxFields: MAX_FIELDS,
    maxFieldNameLength: MAX_FIELD_NAME_LENGTH,
    maxFieldChars: MAX_FIELD_CHARS,
    message: form.fieldMap.message ? { field: form.fieldMap.message, maxChars: config.messageMaxLength } : undefined,
  };
}

/**
 * One parsed submission into the hub: a filled honeypot drops it without a trace; anything else
 * is checked against the form, its files stored, and it goes through the one ingest path.
 */
export async function receiveFormSubmission(
  deps: FormReceiverDeps,
  form: Form,
  submission: ParsedSubmission,
  source: SubmissionSource,
): Promise<FormOutcome> {
  if (caughtByHoneypot(form, submission)) return { kind: 'dropped' };
  const fields = new Map([...submission.fields].filter(([name]) => name !== form.honeypotField));
  const clash = submission.files.find((file) => fields.has(file.field));
  if (clash) throw new HubError('validation_failed', `The field ${clash.field} is sent both as text and as a file`);

  const value = (field: string | undefined) => (field === undefined ? '' : [fields.get(field) ?? []].flat().join('\n').trim());
  // Refused before any file is written, so a bad submission leaves nothing behind.
  const identities = identitiesOf(form, value, deps.domain.settings.defaultPhoneRegion);
  const message = value(form.fieldMap.message);
  const subject = oneLine(value(form.fieldMap.subject)).slice(0, MAX_SUBJECT_CHARS);
  const stored = await storeFiles(
    deps.filesDir,
    submission.files.map((file) => ({ filename: file.filename, contentType: file.contentType, content: file.content, contentId: undefined })),
  );
  const result = await ingestFormSubmission(deps.domain, {
    form: { id: form.id, name: form.name },
    identities,
    customerName: oneLine(value(form.fieldMap.name)).slice(0, MAX_NAME_CHARS) || undefined,
    clientId: source.clientId,
    fields: Object.fromEntries(fields),
    files: submission.files.map((file, index) => ({ field: file.field, file: stored[index]! })),
    ticket: form.opensConversation
      ? { subject: subject || undefined, body: message || renderFields(fields, submission.files, deps.domain.settings.messageMaxLength) }
      : undefined,
    source: { origin: source.origin, ip: source.ip, userAgent: source.userAgent },
  });
  return { kind: 'stored', result };
}

function caughtByHoneypot(form: Form, submission: ParsedSubmission): boolean {
  const trap = form.honeypotField;
  if (!trap) return false;
  const filled = [submission.fields.get(trap) ?? []].flat().some((value) => value.trim() !== '');
  return filled || submission.files.some((file) => file.field === trap);
}

/**
 * The customer's email and phone from the mapped fields. One that is valid is enough; when
 * neither is, the submission is refused with why the one given is not an identity.
 */
function identitiesOf(form: Form, value: (field: string | undefined) => string, defaultPhoneRegion: string | undefined): Identity[] {
  const identities: Identity[] = [];
  let refusal: HubError | undefined;
  for (const kind of ['email', 'phone'] as const) {
    const given = value(form.fieldMap[kind]);
    if (!given) continue;
    try {
      identities.push(normalizeIdentity({ kind, value: given }, defaultPhoneRegion));
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      refusal ??= error;
    }
  }
  if (identities.length > 0) return identities;
  const wanted = [form.fieldMap.email, form.fieldMap.phone].filter(Boolean).join(' or ');
  throw refusal ?? new HubError('validation_failed', `The submission needs an email address or a phone number (field ${wanted})`);
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A readable message from a form that maps none: "field: value", one per line. */
function renderFields(fields: ReadonlyMap<string, string | string[]>, files: readonly SubmittedFile[], maxLength: number): string {
  const lines = [
    ...[...fields].map(([name, value]) => `${name}: ${[value].flat().join(', ')}`),
    ...files.map((file) => `${file.field}: ${file.filename ?? 'a file'}`),
  ];
  const text = lines.join('\n');
  // Every field is kept whole in the submission; the message is only its summary.
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
