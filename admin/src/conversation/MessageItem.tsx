import { useState } from 'preact/hooks';
import type { Attachment, Message, Note } from '../api/types';
import { toast } from '../components/Toasts';
import { downloadAttachment, fileSize } from './downloadAttachment';
import { EmailBody } from './EmailBody';
import { LinkedText } from './LinkedText';
import { fullTime, timeOfDay } from './messageTime';
import type { PendingItem } from './threadStore';

function Time({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={fullTime(iso)}>
      {timeOfDay(iso)}
    </time>
  );
}

/** `customer`: what the inbox calls this customer, for messages that carry no name. */
function authorOf(message: Message, customer: string): string {
  if (message.author.kind === 'system') return 'Automatic reply';
  return message.author.name ?? (message.direction === 'inbound' ? customer : 'Agent');
}

const PaperClip = () => (
  <svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
    <path d="M10.5 4.5 5.8 9.2a1.2 1.2 0 0 0 1.7 1.7l5-5a2.6 2.6 0 0 0-3.7-3.7l-5 5a4 4 0 0 0 5.7 5.7l4.2-4.2" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" />
  </svg>
);

function Attachments({ items }: { items: Attachment[] }) {
  const [busy, setBusy] = useState<string | null>(null);
  if (items.length === 0) return null;
  const save = async (attachment: Attachment) => {
    setBusy(attachment.id);
    try {
      await downloadAttachment(attachment);
    } catch (error) {
      toast((error as Error).message, 'error');
    } finally {
      setBusy(null);
    }
  };
  return (
    <ul class="attachments" aria-label="Attachments">
      {items.map((attachment) => (
        <li key={attachment.id}>
          <button type="button" class="attachment" disabled={busy === attachment.id} onClick={() => save(attachment)} aria-label={`Download ${attachment.filename}`}>
            <PaperClip /> {attachment.filename} <span class="muted">{fileSize(attachment.size)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function Delivery({ delivery }: { delivery: Message['delivery'] }) {
  if (!delivery) return null;
  const label = { queued: 'Queued', sent: 'Sent', failed: 'Not delivered' }[delivery.status];
  return (
    <p class={`delivery delivery-${delivery.status}`} data-delivery={delivery.status}>
      {label}
      {delivery.status === 'failed' && delivery.error ? `: ${delivery.error}` : ''}
    </p>
  );
}

/** One message of the thread: a chat bubble, or a card for an email. */
export function MessageItem({ message, seen, follows, customer }: { message: Message; seen: boolean; follows: boolean; customer: string }) {
  const side = message.direction === 'inbound' ? 'in' : 'out';
  const common = {
    'data-testid': 'message',
    'data-message-id': message.id,
    'data-direction': message.direction,
    'data-channel': message.channel,
  };
  const receipt = seen && (
    <p class="read-receipt" data-testid="read-receipt">
      Seen
    </p>
  );
  if (message.channel === 'email') {
    const cc = message.email?.cc ?? [];
    return (
      <li {...common} class={`msg msg-${side} msg-email`}>
        <article class="email-card" aria-label={`Email from ${authorOf(message, customer)}`}>
          <header class="email-head">
            <h3 class="email-subject">{message.email?.subject || '(no subject)'}</h3>
            <p>
              <span class="muted">From</span> <strong>{authorOf(message, customer)}</strong> · <Time iso={message.createdAt} />
            </p>
            {cc.length > 0 && (
              <p>
                <span class="muted">Cc</span> {cc.join(', ')}
              </p>
            )}
          </header>
          <EmailBody html={message.email?.html} text={message.email?.text || message.body} />
          <Attachments items={message.attachments} />
          <Delivery delivery={message.delivery} />
        </article>
        {receipt}
      </li>
    );
  }
  return (
    <li {...common} class={`msg msg-${side}${message.author.kind === 'system' ? ' msg-system' : ''}${follows ? ' msg-follows' : ''}`}>
      <p class={follows ? 'msg-meta sr-only' : 'msg-meta'}>
        <span class="msg-author">{authorOf(message, customer)}</span> <Time iso={message.createdAt} />
        {message.channel === 'form' && <span class="chip">Web form</span>}
      </p>
      {message.body && (
        <div class="bubble">
          <LinkedText text={message.body} />
        </div>
      )}
      <Attachments items={message.attachments} />
      <Delivery delivery={message.delivery} />
      {receipt}
    </li>
  );
}

/** An internal note: only agents ever see it. */
export function NoteItem({ note, author }: { note: Note; author: string }) {
  return (
    <li data-testid="message" data-message-id={note.id} data-direction="note" data-channel="note" class="msg msg-note">
      <div data-testid="note" class="note-card">
        <p class="msg-meta">
          <span class="note-label">Internal note</span> · <span class="msg-author">{author}</span> · <Time iso={note.createdAt} />
        </p>
        <div class="note-body">
          <LinkedText text={note.body} />
        </div>
      </div>
    </li>
  );
}

/** A reply or note on its way, or refused with the reason and a retry. */
export function PendingMessage({ item, author, channel, onRetry, onEdit }: { item: PendingItem; author: string; channel: string; onRetry: () => void; onEdit: () => void }) {
  const note = item.kind === 'note';
  return (
    <li
      data-testid="message"
      data-direction={note ? 'note' : 'outbound'}
      data-channel={note ? 'note' : channel}
      data-client-id={item.clientId}
      data-pending={item.state}
      class={`msg ${note ? 'msg-note' : 'msg-out'} msg-pending`}
    >
      <div class={note ? 'note-card' : undefined} data-testid={note ? 'note' : undefined}>
        <p class="msg-meta">
          {note && <span class="note-label">Internal note · </span>}
          <span class="msg-author">{author}</span> <span class="muted">{item.state === 'sending' ? 'Sending…' : ''}</span>
        </p>
        <div class={note ? 'note-body' : 'bubble'}>
          <LinkedText text={item.body} />
        </div>
      </div>
      {item.state === 'failed' && (
        <p class="reply-error" data-testid="reply-error" role="alert">
          Not sent{item.error ? `: ${item.error.message}` : ''}{' '}
          <button type="button" class="link" data-testid="reply-retry" onClick={onRetry}>
            Retry
          </button>
          <button type="button" class="link" aria-label="Edit: put the text back in the reply box" onClick={onEdit}>
            Edit
          </button>
        </p>
      )}
    </li>
  );
}
