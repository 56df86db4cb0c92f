import type { Queryable } from '../db/database';
import { decodeCursor, type Page, pageOf } from './cursor';
import { HubError } from './errors';

/** A submitted file as a submission records it: the attachment holds the bytes. */
export type SubmittedFileValue = { filename: string; size: number; contentType: string; attachmentId: string };
/** One submitted field: text (repeated names give a list) or the file(s) sent under that name. */
export type SubmittedValue = string | string[] | SubmittedFileValue | SubmittedFileValue[];

/** What one submission of a web form stored. */
export type FormSubmission = {
  id: string;
  /** null once the form was deleted. */
  formId: string | null;
  customerId: string;
  conversationId: string | null;
  messageId: string | null;
  /** Every submitted field but the honeypot. */
  fields: Record<string, SubmittedValue>;
  origin: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
};

type SubmissionRow = {
  id: string;
  form_id: string | null;
  customer_id: string;
  conversation_id: string | null;
  message_id: string | null;
  client_id: string | null;
  fields: Record<string, SubmittedValue>;
  origin: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
};

const toSubmission = (row: SubmissionRow): FormSubmission => ({
  id: row.id,
  formId: row.form_id,
  customerId: row.customer_id,
  conversationId: row.conversation_id,
  messageId: row.message_id,
  fields: row.fields,
  origin: row.origin,
  ip: row.ip,
  userAgent: row.user_agent,
  createdAt: row.created_at.toISOString(),
});

export type NewSubmission = Omit<FormSubmission, 'createdAt'> & { formId: string; clientId: string | null; createdAt: Date };

const UNIQUE_VIOLATION = '23505';

export async function insertSubmission(tx: Queryable, submission: NewSubmission): Promise<FormSubmission> {
  try {
    const [row] = await tx.query<SubmissionRow>(
      `INSERT INTO form_submissions (id, form_id, customer_id, conversation_id, message_id, client_id, fields, origin, ip, user_agent, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
      [
        submission.id,
        submission.formId,
        submission.customerId,
        submission.conversationId,
        submission.messageId,
        submission.clientId,
        JSON.stringify(submission.fields),
        submission.origin,
        submission.ip,
        submission.userAgent,
        submission.createdAt,
      ],
    );
    return toSubmission(row!);
  } catch (error) {
    // Only a concurrent submission by another customer under the same key gets here; one by the same customer waits on its lock.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw reusedKey(submission.clientId!);
    throw error;
  }
}

/** Files attached after the row was written (they reference it) are recorded in its fields too. */
export async function setSubmissionFields(tx: Queryable, submissionId: string, fields: Record<string, SubmittedValue>): Promise<void> {
  await tx.query('UPDATE form_submissions SET fields = $2 WHERE id = $1', [submissionId, JSON.stringify(fields)]);
}

/** The submission this form already stored under this Idempotency-Key, if any. */
export async function findSubmissionByClientId(tx: Queryable, formId: string, clientId: string): Promise<FormSubmission | undefined> {
  const [row] = await tx.query<SubmissionRow>('SELECT * FROM form_submissions WHERE form_id = $1 AND client_id = $2', [formId, clientId]);
  return row && toSubmission(row);
}

export const reusedKey = (clientId: string) =>
  new HubError('client_id_conflict', `The Idempotency-Key ${JSON.stringify(clientId)} was already used for another submission`);

/** A form's submissions, newest first, a page at a time. */
export async function listFormSubmissions(db: Queryable, formId: string, page: { cursor?: string; limit: number }): Promise<Page<FormSubmission>> {
  const params: unknown[] = [formId];
  let after = '';
  if (page.cursor) {
    const [createdAt, id] = decodeCursor(page.cursor, ['timestamp', 'string']);
    params.push(createdAt, id);
    after = 'AND (created_at, id) < ($2::timestamptz, $3)';
  }
  params.push(page.limit + 1);
  const rows = await db.query<SubmissionRow>(
    `SELECT * FROM form_submissions WHERE form_id = $1 ${after} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return pageOf(rows.map(toSubmission), page.limit, (submission) => [submission.createdAt, submission.id]);
}
