import { useEffect, useRef, useState } from 'preact/hooks';
import { http } from '../api/http';
import type { Conversation, Page } from '../api/types';
import { mergeInto } from './openConversation';
import { relativeTime, useNow } from './relativeTime';

const CHANNELS: Record<string, string> = { chat: 'Chat', email: 'Email', form: 'Web form' };

/** "Email · Late order · open · 3d ago": what tells the customer's conversations apart. */
function optionLabel(candidate: Conversation, now: number): string {
  const text = (candidate.subject || candidate.lastMessage?.body || '').replace(/\s+/g, ' ').trim();
  const preview = text.length > 60 ? `${text.slice(0, 60)}…` : text || '(no message)';
  return `${CHANNELS[candidate.channel] ?? candidate.channel} · ${preview} · ${candidate.status} · ${relativeTime(candidate.lastMessageAt, now)}`;
}

/** Merges another conversation of the same customer into this one, after a confirmation. */
export function MergeControl({ conversation }: { conversation: Conversation }) {
  const [candidates, setCandidates] = useState<Conversation[] | null>(null);
  const [loadError, setLoadError] = useState('');
  const [reload, setReload] = useState(0);
  const [source, setSource] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const now = useNow();
  useEffect(() => confirmButton.current?.focus(), [confirming]);

  // The same customer's other conversations that can still be merged.
  useEffect(() => {
    let live = true;
    setLoadError('');
    http
      .get<Page<Conversation>>('/api/conversations', { customer: conversation.customerId, limit: 50 })
      .then((page) => {
        if (!live) return;
        const others = page.items.filter((item) => item.id !== conversation.id && !item.mergedIntoId);
        setCandidates(others);
        setSource((current) => (others.some((item) => item.id === current) ? current : ''));
      })
      .catch((failure: Error) => {
        if (live) setLoadError(failure.message);
      });
    return () => {
      live = false;
    };
  }, [conversation.id, conversation.customerId, reload]);

  const ask = (event: Event) => {
    event.preventDefault();
    if (source) setConfirming(source);
  };
  const merge = async () => {
    if (!confirming) return;
    setBusy(true);
    const merged = await mergeInto(conversation.id, confirming);
    setBusy(false);
    setConfirming(null);
    if (merged) {
      setSource('');
      setReload((count) => count + 1);
    }
  };
  const chosen = candidates?.find((item) => item.id === confirming);

  if (loadError) {
    return (
      <p class="action merge field-error" role="alert">
        Cannot list this customer's conversations: {loadError}{' '}
        <button type="button" class="link" onClick={() => setReload((count) => count + 1)}>
          Retry
        </button>
      </p>
    );
  }
  if (candidates === null) return null;
  if (candidates.length === 0) return <p class="action merge muted">No other conversation of this customer</p>;

  return (
    <form class="action merge" onSubmit={ask}>
      <label>
        <span>Merge in</span>
        <select data-testid="action-merge" aria-label="Conversation to merge into this one" value={source} onChange={(event) => setSource(event.currentTarget.value)}>
          <option value="">Choose a conversation…</option>
          {candidates.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {optionLabel(candidate, now)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" data-testid="merge-submit" disabled={!source || busy}>
        Merge
      </button>
      {confirming && (
        <div class="merge-confirm" role="alertdialog" aria-label="Confirm merge" aria-describedby="merge-confirm-text">
          <p id="merge-confirm-text">
            Move the messages and notes of {chosen ? <strong>{optionLabel(chosen, now)}</strong> : <code>{confirming}</code>} into this conversation and close it? This cannot be undone.
          </p>
          <button type="button" class="primary" data-testid="merge-confirm" disabled={busy} ref={confirmButton} onClick={() => void merge()}>
            Merge conversations
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}
