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

/** What an attachment belongs to: a message, or a form submission that opened no conversation. */
export type AttachmentOwner = { messageId: string } | { formSubmissionId: string };

/** Records stored files with their owner; returns them in the order given. */
export async function insertAttachments(tx: Queryable, owner: AttachmentOwner, files: readonly StoredFile[]): Promise<AttachmentInfo[]> {
  const messageId = 'messageId' in owner ? owner.messageId : null;
  const formSubmissionId = 'formSubmissionId' in owner ? owner.formSubmissionId : null;
  const attachments: AttachmentInfo[] = [];
  for (const file of files) {
    const id = newId('att');
    await tx.query(
      `INSERT INTO attachments (id, message_id, form_submission_id, filename, content_type, size_bytes, sha256, storage_key, content_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, messageId, formSubmissionId, file.filename, file.contentType, file.size, file.sha256, file.storageKey, file.contentId],
    );
    attachments.push({ id, filename: file.filename, contentType: file.contentType, size: file.size });
  }
  return attachments;
}

export type AttachmentRecord = AttachmentInfo & { sha256: string; storageKey: string };

export async function getAttachment(db: Queryable, attachmentId: string): Promise<AttachmentRecord> {
  const [row] = await db.query<{ id: string; filename: string; content_type: string; size_bytes: number; sha256: string; storage_key: string }>(
    'SELECT * FROM attachments WHERE id = $1',
    [attachmentId],
  );
  if (!row) throw new HubError('attachment_not_found', `No attachment ${attachmentId}`);
  return {
    id: row.id,
    filename: row.filename,
    contentType: row.content_type,
    size: row.size_bytes,
    sha256: row.sha256,
    storageKey: row.storage_key,
  };
}
