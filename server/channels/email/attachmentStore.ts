import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StoredFile } from '../../domain/attachments';

export type IncomingFile = { filename: string | undefined; contentType: string; content: Buffer; contentId: string | undefined };

/**
 * Writes files content-addressed under `filesDir` (sha256/…): the same file received twice is
 * stored once, and a write that fails half-way never leaves a partial file under its final name.
 */
export async function storeFiles(filesDir: string, files: readonly IncomingFile[]): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  for (const [index, file] of files.entries()) {
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    const storageKey = path.join(sha256.slice(0, 2), sha256);
    const target = path.join(filesDir, storageKey);
    if (!existsSync(target)) {
      await mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, file.content, { mode: 0o640 });
      await rename(temporary, target);
    }
    stored.push({
      filename: safeFilename(file.filename, index),
      contentType: file.contentType || 'application/octet-stream',
      size: file.content.length,
      sha256,
      storageKey,
      contentId: file.contentId ?? null,
    });
  }
  return stored;
}

/** Resolves a stored file's path; the key comes from our own database, never from a request. */
export const storedFilePath = (filesDir: string, storageKey: string) => path.join(filesDir, storageKey);

// A filename is shown and offered for download: no paths, no control characters, bounded length.
function safeFilename(filename: string | undefined, index: number): string {
  const base = (filename ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  return clean || `attachment-${index + 1}`;
}
