import type { Queryable } from '../db/database';
import { HubError } from './errors';
import { newId } from './ids';
import type { AttachmentInfo } from './messages';

/** A file already written to content-addressed storage, to be recorded with its message. */
export type StoredFile = {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
  contentId: string | null;
};

/**
 * What an attachment belongs to: a message, a form submission that opened no conversation, or
 * the customer who uploaded it from the widget and has not sent it yet.
 */
export type AttachmentOwner = { messageId: string } | { formSubmissionId: string } | { uploadedByCustomerId: string };

/** Records stored files with their owner; returns them in the order given. */
export async function insertAttachments(tx: Queryable, owner: AttachmentOwner, files: readonly StoredFile[]): Promise<AttachmentInfo[]> {
  const messageId = 'messageId' in owner ? owner.messageId : null;
  const formSubmissionId = 'formSubmissionId' in owner ? owner.formSubmissionId : null;
  const uploadedBy = 'uploadedByCustomerId' in owner ? owner.uploadedByCustomerId : null;
  const attachments: AttachmentInfo[] = [];
  for (const file of files) {
    const id = newId('att');
    await tx.query(
      `INSERT INTO attachments (id, message_id, form_submission_id, uploaded_by_customer_id, filename, content_type, size_bytes, sha256, storage_key, content_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, messageId, formSubmissionId, uploadedBy, file.filename, file.contentType, file.size, file.sha256, file.storageKey, file.contentId],
    );
    attachments.push({ id, filename: file.filename, contentType: file.contentType, size: file.size });
  }
  return attachments;
}

export type AttachmentRecord = AttachmentInfo & { sha256: string; storageKey: string };

/**
 * Gives the customer's own unsent widget uploads to their new message. Any id that is not such
 * an upload (someone else's, already sent, unknown) refuses the whole message.
 */
export async function attachUploads(tx: Queryable, customerId: string, messageId: string, uploadIds: readonly string[]): Promise<AttachmentInfo[]> {
  const ids = [...new Set(uploadIds)];
  const rows = await tx.query<AttachmentRow>(
    `UPDATE attachments SET message_id = $1
      WHERE id = ANY($2::text[]) AND message_id IS NULL AND form_submission_id IS NULL AND uploaded_by_customer_id = $3
      RETURNING *`,
    [messageId, ids, customerId],
  );
  if (rows.length !== ids.length) {
    const found = new Set(rows.map((row) => row.id));
    const missing = ids.find((id) => !found.has(id));
    throw new HubError('attachment_not_found', `No upload ${missing} waiting to be sent by this visitor`);
  }
  return rows.map(toRecord).sort((a, b) => (a.id < b.id ? -1 : 1)).map(({ id, filename, contentType, size }) => ({ id, filename, contentType, size }));
}

type AttachmentRow = { id: string; filename: string; content_type: string; size_bytes: number; sha256: string; storage_key: string };

const toRecord = (row: AttachmentRow): AttachmentRecord => ({
  id: row.id,
  filename: row.filename,
  contentType: row.content_type,
  size: row.size_bytes,
  sha256: row.sha256,
  storageKey: row.storage_key,
});

export async function getAttachment(db: Queryable, attachmentId: string): Promise<AttachmentRecord> {
  const [row] = await db.query<AttachmentRow>('SELECT * FROM attachments WHERE id = $1', [attachmentId]);
  if (!row) throw new HubError('attachment_not_found', `No attachment ${attachmentId}`);
  return toRecord(row);
}

/**
 * An attachment the customer may see in their widget: one of their chat messages' files, or
 * their own upload not sent yet. Anything else answers as if it did not exist.
 */
export async function getCustomerChatAttachment(db: Queryable, customerId: string, attachmentId: string): Promise<AttachmentRecord> {
  const [row] = await db.query<AttachmentRow>(
    `SELECT f.* FROM attachments f LEFT JOIN messages m ON m.id = f.message_id
      WHERE f.id = $1
        AND ((m.customer_id = $2 AND m.channel = 'chat') OR (f.message_id IS NULL AND f.uploaded_by_customer_id = $2))`,
    [attachmentId, customerId],
  );
  if (!row) throw new HubError('attachment_not_found', `No attachment ${attachmentId}`);
  return toRecord(row);
}
