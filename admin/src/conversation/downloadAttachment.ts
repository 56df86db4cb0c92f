import { endSession, currentToken } from '../api/session';
import type { Attachment } from '../api/types';

/**
 * Attachments need the agent's bearer token, which a plain link cannot carry: the file is
 * fetched as a blob and saved under its own name.
 */
export async function downloadAttachment(attachment: Attachment): Promise<void> {
  const token = currentToken();
  let response: Response;
  try {
    response = await fetch(`/api/attachments/${encodeURIComponent(attachment.id)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new Error('The hub cannot be reached. Check your connection.');
  }
  if (response.status === 401) {
    endSession('expired');
    throw new Error('Your session has expired.');
  }
  if (!response.ok) throw new Error(`${attachment.filename} could not be downloaded (${response.status}).`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = attachment.filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download by the next task.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const UNITS = ['B', 'KB', 'MB', 'GB'];

/** 1536 → "1.5 KB". */
export function fileSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < UNITS.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(size)} ${UNITS[unit]}`;
}
