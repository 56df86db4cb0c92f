import { useEffect, useRef, useState } from 'preact/hooks';
import type { Conversation } from '../api/types';
import { mergeInto } from './openConversation';

/** Accepts a conversation id or a console link to it. */
const conversationIdOf = (text: string) => text.trim().split(/[/?#]/).filter(Boolean).pop() ?? '';

/** Merges another conversation of the same customer into this one, after a confirmation. */
export function MergeControl({ conversation }: { conversation: Conversation }) {
  const [source, setSource] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmButton.current?.focus(), [confirming]);

  const ask = (event: Event) => {
    event.preventDefault();
    const id = conversationIdOf(source);
    if (id) setConfirming(id);
  };
  const merge = async () => {
    if (!confirming) return;
    setBusy(true);
    const merged = await mergeInto(conversation.id, confirming);
    setBusy(false);
    setConfirming(null);
    if (merged) setSource('');
  };

  return (
    <form class="action merge" onSubmit={ask}>
      <label>
        <span>Merge in</span>
        <input data-testid="action-merge" placeholder="Conversation id" aria-label="Conversation to merge into this one" value={source} onInput={(event) => setSource(event.currentTarget.value)} />
      </label>
      <button type="submit" data-testid="merge-submit" disabled={!source.trim() || busy}>
        Merge
      </button>
      {confirming && (
        <div class="merge-confirm" role="alertdialog" aria-label="Confirm merge" aria-describedby="merge-confirm-text">
          <p id="merge-confirm-text">
            Move the messages and notes of <code>{confirming}</code> into this conversation and close it? This cannot be undone.
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
