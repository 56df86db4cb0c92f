import type { Attachment } from './types';

/**
 * Uploads one file to the hub (POST /api/widget/attachments, multipart field `file`). XHR rather
 * than fetch because only XHR reports upload progress.
 */
export function uploadAttachment(hub: string, visitorId: string, file: File, onProgress: (fraction: number) => void): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${hub}/api/widget/attachments`);
    xhr.setRequestHeader('X-Visitor-Id', visitorId);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as (Attachment & { error?: { message: string } }) | null;
      if (xhr.status === 201 && body) resolve(body);
      else reject(new Error(body?.error?.message ?? `upload failed (HTTP ${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error('upload failed: the hub is unreachable'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

export function attachmentUrl(hub: string, visitorId: string, attachment: Attachment): string {
  return `${hub}/api/widget/attachments/${encodeURIComponent(attachment.id)}?visitorId=${encodeURIComponent(visitorId)}`;
}

export const isImage = (contentType: string) => /^image\/(png|jpeg|gif|webp)$/.test(contentType);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
