import { useState } from 'preact/hooks';
import type { Conversation } from '../api/types';
import { toast } from '../components/Toasts';
import { changeConversation } from './openConversation';
import { fullTime } from './relativeTime';

/** `YYYY-MM-DDTHH:mm` in local time, what a datetime-local input holds. */
function localInputValue(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** Snooze until a time (it comes back open then, or when the customer writes), or wake it now. */
export function SnoozeControl({ conversation }: { conversation: Conversation }) {
  const [until, setUntil] = useState('');

  const snooze = async (event: Event) => {
    event.preventDefault();
    const at = new Date(until);
    if (!until || Number.isNaN(at.getTime())) return toast('Pick the time the conversation should come back.', 'error');
    if (at.getTime() <= Date.now()) return toast('Pick a time in the future.', 'error');
    if (await changeConversation(conversation.id, { snoozedUntil: at.toISOString() }, `Snoozed until ${fullTime(at.toISOString())}`)) setUntil('');
  };

  return (
    <form class="action snooze" onSubmit={snooze}>
      {conversation.snoozedUntil && (
        <span class="snoozed">
          Snoozed until <time dateTime={conversation.snoozedUntil}>{fullTime(conversation.snoozedUntil)}</time>{' '}
          <button type="button" class="link" onClick={() => void changeConversation(conversation.id, { snoozedUntil: null }, 'Unsnoozed')}>
            Unsnooze
          </button>
        </span>
      )}
      <label>
        <span>Snooze until</span>
        <input
          type="datetime-local"
          data-testid="action-snooze"
          min={localInputValue(new Date())}
          value={until}
          onInput={(event) => setUntil(event.currentTarget.value)}
        />
      </label>
      <button type="submit" data-testid="snooze-submit" disabled={!until}>
        Snooze
      </button>
    </form>
  );
}
