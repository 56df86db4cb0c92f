import { useStoreState, useT, useWidget } from '../context';
import { linkify } from '../linkify';
import type { Pending } from '../store';
import type { Attachment, Message } from '../types';
import { attachmentUrl, formatBytes, isImage } from '../upload';
import { FileIcon } from './icons';

/** A message's text with its links as <a> elements; everything else stays a text node. */
function Body({ text }: { text: string }) {
  if (!text) return null;
  return (
    <p class="text">
      {linkify(text).map((part) =>
        part.href ? (
          <a href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}

function Attachments({ attachments }: { attachments: Attachment[] }) {
  const { hub } = useWidget();
  const { visitorId } = useStoreState();
  if (attachments.length === 0 || !visitorId) return null;
  return (
    <div class="attachments">
      {attachments.map((attachment) => {
        const url = attachmentUrl(hub, visitorId, attachment);
        return isImage(attachment.contentType) ? (
          <a key={attachment.id} class="image" href={url} target="_blank" rel="noopener noreferrer">
            <img src={url} alt={attachment.filename} loading="lazy" />
          </a>
        ) : (
          <a key={attachment.id} class="file" href={url} target="_blank" rel="noopener noreferrer">
            <FileIcon />
            <span class="filename">{attachment.filename}</span>
            <span class="size">{formatBytes(attachment.size)}</span>
          </a>
        );
      })}
    </div>
  );
}

const clock = (iso: string, language: string) => new Date(iso).toLocaleTimeString(language === 'zh' ? 'zh-CN' : [], { hour: '2-digit', minute: '2-digit' });

/** One bubble: an acknowledged message, or a pending one (sending / failed with retry). */
export function MessageBubble({ message, pending, seen }: { message?: Message; pending?: Pending; seen?: boolean }) {
  const { connection, language } = useWidget();
  const t = useT();
  const item = (message ?? pending)!;
  const direction = message?.direction ?? 'inbound';
  const status = pending?.status ?? 'sent';
  return (
    <div class={`row ${direction}`}>
      <div class={`bubble ${status}`} data-testid="message" data-status={status} data-direction={direction}>
        <Body text={item.body} />
        <Attachments attachments={item.attachments} />
      </div>
      <div class="meta">
        {status === 'sent' && clock(item.createdAt, language)}
        {status === 'sent' && seen && <span class="seen"> · {t('seen')}</span>}
        {status === 'sending' && t('sending')}
        {status === 'failed' && (
          <>
            <span class="failed-text">{t('failed')}</span>
            <button type="button" class="link-button" data-testid="retry" onClick={() => connection.retry(pending!.clientId)}>
              {t('retry')}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
