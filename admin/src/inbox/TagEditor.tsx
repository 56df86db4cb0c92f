import { useState } from 'preact/hooks';
import type { Conversation } from '../api/types';
import { toast } from '../components/Toasts';
import { changeConversation } from './openConversation';

const TAG_MAX_LENGTH = 50;
const TAGS_MAX = 20;

/** The conversation's tags as chips: Enter adds the typed tag, × removes one. */
export function TagEditor({ conversation }: { conversation: Conversation }) {
  const [draft, setDraft] = useState('');
  const tags = conversation.tags ?? [];

  const save = (next: string[], done?: string) => changeConversation(conversation.id, { tags: next }, done);

  const add = async () => {
    const tag = draft.trim();
    if (!tag) return;
    if (tag.length > TAG_MAX_LENGTH) return toast(`A tag has at most ${TAG_MAX_LENGTH} characters.`, 'error');
    if (tags.includes(tag)) return setDraft('');
    if (tags.length >= TAGS_MAX) return toast(`A conversation has at most ${TAGS_MAX} tags.`, 'error');
    if (await save([...tags, tag])) setDraft('');
  };

  return (
    <div class="action tags" role="group" aria-label="Tags">
      <span>Tags</span>
      <ul class="tag-list">
        {tags.map((tag) => (
          <li key={tag} class="chip" data-testid="tag">
            {tag}
            <button type="button" class="chip-remove" aria-label={`Remove tag ${tag}`} onClick={() => void save(tags.filter((item) => item !== tag))}>
              ×
            </button>
          </li>
        ))}
        <li>
          <input
            data-testid="action-tags"
            aria-label="Add a tag"
            placeholder="Add tag…"
            maxLength={TAG_MAX_LENGTH}
            value={draft}
            onInput={(event) => setDraft(event.currentTarget.value)}
            onKeyDown={(event) => {
              // Enter while an IME is composing picks a candidate; it must not add the tag.
              if (event.key !== 'Enter' || event.isComposing || event.keyCode === 229) return;
              event.preventDefault();
              void add();
            }}
          />
        </li>
      </ul>
    </div>
  );
}
