import { useRef, useState } from 'preact/hooks';
import { useStoreState, useT, useWidget } from '../context';
import { randomId } from '../outbox';
import type { Attachment } from '../types';
import { formatBytes, isImage, uploadAttachment } from '../upload';
import { ClipIcon, CloseIcon, SendIcon } from './icons';

interface Upload {
  key: string;
  file: File;
  preview: string | null;
  progress: number;
  attachment: Attachment | null;
  error: string | null;
}

const TYPING_EVERY_MS = 2_500;
const TYPING_IDLE_MS = 3_000;
const MAX_ATTACHMENTS = 10;

/** Visitor typing notices: at most one "typing" per few seconds, and "stopped" after a pause or a send. */
function useTypingSignal(signal: (typing: boolean) => void) {
  const lastSent = useRef(0);
  const idle = useRef<ReturnType<typeof setTimeout>>(undefined);
  const stop = () => {
    clearTimeout(idle.current);
    if (lastSent.current === 0) return;
    lastSent.current = 0;
    signal(false);
  };
  const typed = () => {
    if (Date.now() - lastSent.current > TYPING_EVERY_MS) {
      lastSent.current = Date.now();
      signal(true);
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(stop, TYPING_IDLE_MS);
  };
  return { typed, stop };
}

export function Composer() {
  const { connection, hub, store } = useWidget();
  const state = useStoreState();
  const t = useT();
  const [text, setText] = useState('');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const picker = useRef<HTMLInputElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const typing = useTypingSignal(connection.typing);
  const { messageMaxLength, attachmentMaxBytes } = state.settings.limits;

  const patch = (key: string, change: Partial<Upload>) => setUploads((all) => all.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));

  const remove = (key: string) =>
    setUploads((all) => {
      const gone = all.find((upload) => upload.key === key);
      if (gone?.preview) URL.revokeObjectURL(gone.preview);
      return all.filter((upload) => upload.key !== key);
    });

  async function start(upload: Upload): Promise<void> {
    try {
      await connection.whenReady();
      const attachment = await uploadAttachment(hub, store.get().visitorId!, upload.file, (progress) => patch(upload.key, { progress }));
      patch(upload.key, { attachment, progress: 1 });
    } catch (error) {
      patch(upload.key, { error: (error as Error).message || t('uploadFailed') });
    }
  }

  function pick(files: FileList | null): void {
    const chosen = [...(files ?? [])].slice(0, MAX_ATTACHMENTS - uploads.length).map((file) => {
      const upload: Upload = {
        key: randomId(),
        file,
        preview: isImage(file.type) ? URL.createObjectURL(file) : null,
        progress: 0,
        attachment: null,
        error: file.size > attachmentMaxBytes ? t('tooLarge', { name: file.name, size: formatBytes(attachmentMaxBytes) }) : null,
      };
      return upload;
    });
    setUploads((all) => [...all, ...chosen]);
    chosen.filter((upload) => !upload.error).forEach((upload) => void start(upload));
    if (picker.current) picker.current.value = '';
  }

  const ready = uploads.filter((upload) => upload.attachment);
  const busy = uploads.some((upload) => !upload.attachment && !upload.error);
  const canSend = !busy && (text.trim() !== '' || ready.length > 0);

  function send(): void {
    if (!canSend) return;
    connection.send(text.trim(), ready.map((upload) => upload.attachment!));
    typing.stop();
    setText('');
    if (area.current) area.current.style.height = 'auto';
    uploads.forEach((upload) => upload.preview && URL.revokeObjectURL(upload.preview));
    setUploads([]);
  }

  return (
    <div class="composer-area">
      {uploads.length > 0 && (
        <ul class="uploads">
          {uploads.map((upload) => (
            <li key={upload.key} class={`upload ${upload.error ? 'error' : ''}`}>
              {upload.preview ? <img src={upload.preview} alt="" /> : <span class="ext">{upload.file.name.split('.').pop()?.slice(0, 4)}</span>}
              <div class="upload-info">
                <span class="filename">{upload.file.name}</span>
                {upload.error ? (
                  <span class="upload-error">{upload.error}</span>
                ) : (
                  <progress max={1} value={upload.progress} aria-label={upload.file.name} />
                )}
              </div>
              <button type="button" class="icon-button small" aria-label={t('removeFile')} onClick={() => remove(upload.key)}>
                <CloseIcon size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="composer"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <button type="button" class="icon-button" data-testid="attach" aria-label={t('attach')} title={t('attach')} onClick={() => picker.current?.click()}>
          <ClipIcon />
        </button>
        <input ref={picker} type="file" multiple hidden onChange={(event) => pick(event.currentTarget.files)} />
        <textarea
          ref={area}
          data-testid="composer"
          rows={1}
          value={text}
          maxLength={messageMaxLength}
          placeholder={t('placeholder')}
          aria-label={t('placeholder')}
          onInput={(event) => {
            const input = event.currentTarget;
            setText(input.value);
            input.style.height = 'auto';
            input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
            if (input.value) typing.typed();
          }}
          onKeyDown={(event) => {
            // Enter while an IME is composing (Chinese input) confirms the characters, not the message.
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" class="send" data-testid="send" aria-label={t('send')} title={t('send')} disabled={!canSend}>
          <SendIcon />
        </button>
      </form>
    </div>
  );
}
