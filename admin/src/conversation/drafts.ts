/** What an agent has typed in one conversation, kept in localStorage until it is sent. */
export type ComposerMode = 'reply' | 'note';
export type Draft = { mode: ComposerMode; reply: string; note: string; subject: string | null; cc: string };

const EMPTY: Draft = { mode: 'reply', reply: '', note: '', subject: null, cc: '' };

const keyOf = (conversationId: string) => `hub.draft.${conversationId}`;

/** The saved draft; an unreadable entry (another version, a hand edit) counts as none. */
export function loadDraft(conversationId: string): Draft {
  try {
    const saved = JSON.parse(localStorage.getItem(keyOf(conversationId)) ?? 'null') as Partial<Draft> | null;
    if (!saved || typeof saved !== 'object') return EMPTY;
    return {
      mode: saved.mode === 'note' ? 'note' : 'reply',
      reply: typeof saved.reply === 'string' ? saved.reply : '',
      note: typeof saved.note === 'string' ? saved.note : '',
      subject: typeof saved.subject === 'string' ? saved.subject : null,
      cc: typeof saved.cc === 'string' ? saved.cc : '',
    };
  } catch {
    return EMPTY;
  }
}

/**
 * Written on every keystroke, not on a timer: a session that expires or a tab that closes
 * must not take the last words with it. Nothing worth keeping removes the entry.
 */
export function saveDraft(conversationId: string, draft: Draft): void {
  const empty = draft.reply === '' && draft.note === '' && draft.subject === null && draft.cc === '' && draft.mode === 'reply';
  try {
    if (empty) localStorage.removeItem(keyOf(conversationId));
    else localStorage.setItem(keyOf(conversationId), JSON.stringify(draft));
  } catch {
    // A full or disabled storage loses the draft across reloads only; typing goes on.
  }
}
