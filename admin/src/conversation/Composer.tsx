import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Agent, CannedResponse, Conversation } from '../api/types';
import { CannedMenu, fillCanned, useCanned } from './CannedMenu';
import { type ComposerMode, type Draft, loadDraft, saveDraft } from './drafts';
import { send } from './outbox';
import { useTypingSignal } from './typingSignal';
import './conversation.css';

const MAX_CC = 10;
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** "Re: <subject>", without stacking "Re: Re: …" (the hub's own rule for replies). */
export function replySubject(subject: string | null): string {
  const base = (subject ?? '').trim();
  if (!base) return 'Re: your message';
  return /^(re|aw|答复|回复)\s*[:：]/i.test(base) ? base : `Re: ${base}`;
}

const ccList = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

/** The reply box of the conversation on screen, for the `r` shortcut and for "Edit" on a failed message. */
let mounted: { conversationId: string; box: () => HTMLTextAreaElement | null; refill: (mode: ComposerMode, text: string) => void } | null = null;

/** Puts the caret in the reply box (the `r` shortcut). */
export function focusComposer(): void {
  const box = mounted?.box();
  if (!box) return;
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
}

/** Puts a refused message's text back into the reply box (or its saved draft) so the agent can change it. */
export function refillComposer(conversationId: string, mode: ComposerMode, text: string): void {
  if (mounted?.conversationId === conversationId) return mounted.refill(mode, text);
  const draft = loadDraft(conversationId);
  saveDraft(conversationId, { ...draft, [mode]: draft[mode] ? `${draft[mode]}\n${text}` : text });
}

/** Replies to the customer (chat or email) and internal notes, with drafts, canned responses and Ctrl+Enter. */
export function Composer(props: { conversation: Conversation; me: Agent }) {
  return <ComposerView key={props.conversation.id} {...props} />;
}

function ComposerView({ conversation, me }: { conversation: Conversation; me: Agent }) {
  const [draft, setDraftState] = useState<Draft>(() => loadDraft(conversation.id));
  const [ccError, setCcError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const composing = useRef(false);
  const caretAfter = useRef<number | null>(null);
  const { canned, follow, close, move, reset } = useCanned();
  const typing = useTypingSignal(conversation);
  const menuId = `canned-${conversation.id}`;

  const mode = draft.mode;
  const text = draft[mode];
  const isEmail = conversation.channel === 'email' && mode === 'reply';
  const subject = draft.subject ?? replySubject(conversation.subject);

  const setDraft = (change: Partial<Draft>) =>
    setDraftState((current) => {
      const next = { ...current, ...change };
      saveDraft(conversation.id, next);
      return next;
    });

  useEffect(() => {
    mounted = {
      conversationId: conversation.id,
      box: () => box.current,
      refill: (into, words) => setDraftState((current) => {
        const next = { ...current, mode: into, [into]: current[into] ? `${current[into]}\n${words}` : words };
        saveDraft(conversation.id, next);
        return next;
      }),
    };
    return () => {
      if (mounted?.conversationId === conversation.id) mounted = null;
    };
  }, [conversation.id]);

  // The box grows with its text up to a limit, then scrolls; the caret lands after an insertion.
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight + 2, Math.round(window.innerHeight * 0.4))}px`;
    if (caretAfter.current !== null) {
      element.setSelectionRange(caretAfter.current, caretAfter.current);
      caretAfter.current = null;
    }
  }, [text, mode]);

  // Ctrl+Shift+C opens the canned responses from anywhere in the conversation.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.isComposing || !(event.ctrlKey || event.metaKey) || !event.shiftKey || event.code !== 'KeyC') return;
      if (event.target === box.current) return;
      event.preventDefault();
      openCanned();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const changeText = (value: string, caret: number) => {
    setDraft({ [mode]: value });
    follow(value, caret);
    if (mode === 'reply') typing.changed(value);
  };

  const openCanned = () => {
    const element = box.current;
    if (!element) return;
    element.focus();
    const at = element.selectionStart ?? text.length;
    const before = text.slice(0, at);
    // The menu opens on a `/` that starts a word: add one (after a space when needed).
    const slash = before === '' || /\s$/.test(before) ? '/' : ' /';
    const value = before + slash + text.slice(element.selectionEnd ?? at);
    caretAfter.current = at + slash.length;
    changeText(value, at + slash.length);
  };

  const pick = (item: CannedResponse) => {
    const word = canned.word;
    if (!word) return;
    const filled = fillCanned(item.body, { customer: conversation.customerName, agent: me.name });
    caretAfter.current = word.start + filled.length;
    setDraft({ [mode]: text.slice(0, word.start) + filled + text.slice(word.end) });
    reset();
  };

  const submit = () => {
    const body = text.trim();
    if (!body) return;
    let email: { subject?: string; cc?: string[] } | undefined;
    if (isEmail) {
      const cc = ccList(draft.cc);
      const wrong = cc.filter((address) => !EMAIL.test(address));
      if (wrong.length > 0 || cc.length > MAX_CC) {
        setCcError(wrong.length > 0 ? `Not an email address: ${wrong.join(', ')}` : `At most ${MAX_CC} Cc addresses`);
        return;
      }
      email = { subject: subject.trim() || undefined, ...(cc.length > 0 ? { cc } : {}) };
    }
    send(conversation.id, { kind: mode, body, email });
    if (mode === 'reply') {
      typing.stopped();
      setDraft({ reply: '', subject: null, cc: '' });
    } else setDraft({ note: '' });
    setCcError(null);
    reset();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    // An IME uses Enter, arrows and Esc to pick its candidates: while it composes, they are its own.
    if (event.isComposing || event.keyCode === 229 || composing.current) return;
    if (canned.open) {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        return close();
      }
      const item = canned.items[canned.active];
      if (item && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
        event.preventDefault();
        return move(event.key === 'ArrowDown' ? 1 : -1);
      }
      if (item && (event.key === 'Enter' || event.key === 'Tab') && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
        event.preventDefault();
        return pick(item);
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      return submit();
    }
    if (event.code === 'KeyC' && (event.ctrlKey || event.metaKey) && event.shiftKey) {
      event.preventDefault();
      openCanned();
    }
  };

  const switchMode = (next: ComposerMode) => {
    if (next === mode) return;
    if (mode === 'reply') typing.stopped();
    reset();
    setDraft({ mode: next });
    box.current?.focus();
  };

  return (
    <form
      class={`composer composer-${mode}`}
      aria-label={mode === 'note' ? 'Internal note' : 'Reply'}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div class="composer-modes" role="group" aria-label="Write a">
        <button type="button" data-testid="reply-mode-reply" aria-pressed={mode === 'reply'} class={mode === 'reply' ? 'active' : undefined} onClick={() => switchMode('reply')}>
          Reply
        </button>
        <button type="button" data-testid="reply-mode-note" aria-pressed={mode === 'note'} class={mode === 'note' ? 'active' : undefined} onClick={() => switchMode('note')}>
          Internal note
        </button>
        <span class="composer-channel muted">{mode === 'note' ? 'Only agents see notes' : conversation.channel === 'email' ? 'By email' : conversation.channel === 'form' ? 'Form ticket' : 'Chat'}</span>
      </div>
      {isEmail && (
        <div class="composer-email">
          <label>
            <span>Subject</span>
            <input data-testid="reply-subject" value={subject} maxLength={250} onInput={(event) => setDraft({ subject: event.currentTarget.value })} />
          </label>
          <label>
            <span>Cc</span>
            <input
              data-testid="reply-cc"
              value={draft.cc}
              placeholder="name@example.com, …"
              aria-invalid={ccError ? true : undefined}
              aria-describedby={ccError ? `cc-error-${conversation.id}` : undefined}
              onInput={(event) => {
                setCcError(null);
                setDraft({ cc: event.currentTarget.value });
              }}
            />
          </label>
          {ccError && (
            <p class="error" id={`cc-error-${conversation.id}`} role="alert">
              {ccError}
            </p>
          )}
        </div>
      )}
      <div class="composer-box">
        <CannedMenu canned={canned} id={menuId} onPick={pick} />
        <textarea
          ref={box}
          data-testid="reply-box"
          rows={2}
          value={text}
          aria-label={mode === 'note' ? 'Internal note (only agents see it)' : 'Reply to the customer'}
          aria-controls={canned.open ? menuId : undefined}
          aria-activedescendant={canned.open && canned.items.length > 0 ? `${menuId}-${canned.active}` : undefined}
          placeholder={mode === 'note' ? 'Write a note for your team…' : 'Write a reply… Type / for canned responses'}
          onInput={(event) => changeText(event.currentTarget.value, event.currentTarget.selectionStart ?? event.currentTarget.value.length)}
          onKeyDown={onKeyDown}
          onCompositionStart={() => (composing.current = true)}
          onCompositionEnd={(event) => {
            composing.current = false;
            // Some browsers send the committed text's input before compositionend: look again.
            follow(event.currentTarget.value, event.currentTarget.selectionStart ?? event.currentTarget.value.length);
          }}
          onClick={(event) => follow(text, event.currentTarget.selectionStart ?? text.length)}
          onBlur={() => canned.open && reset()}
        />
      </div>
      <div class="composer-actions">
        <button type="button" class="link" aria-label="Insert a canned response" title="Canned responses (Ctrl+Shift+C)" onMouseDown={(event) => event.preventDefault()} onClick={openCanned}>
          / Canned
        </button>
        <span class="composer-hint muted">Ctrl+Enter to send</span>
        <button type="submit" class="primary" data-testid="reply-send" disabled={text.trim() === ''}>
          {mode === 'note' ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}
