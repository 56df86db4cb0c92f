import { useEffect, useRef } from 'preact/hooks';
import { focusComposer } from '../conversation/Composer';
import { navigate } from '../router';
import { paneUi } from './ConversationPane';
import { openHelp } from './HelpDialog';
import { inbox, loadMore } from './inboxStore';
import { openConversation, resolveConversation } from './openConversation';

/** Keys typed into a field, picked in an IME, or held with a modifier are the field's, not shortcuts. */
function isTyping(event: KeyboardEvent): boolean {
  if (event.isComposing || event.keyCode === 229 || event.ctrlKey || event.metaKey || event.altKey) return true;
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || !!target.closest('dialog[open]');
}

/** Opens the row `step` rows away from the open one (the first row when none is open). */
function move(view: string, openId: string | null, step: 1 | -1): void {
  const { items, nextCursor } = inbox.get();
  const index = openId ? items.findIndex((item) => item.id === openId) : -1;
  const next = items[index === -1 ? 0 : Math.max(0, index + step)];
  if (step === 1 && index >= items.length - 2 && nextCursor) void loadMore();
  if (next && next.id !== openId) navigate(`/inbox/${view}/${encodeURIComponent(next.id)}`);
}

const isFinished = () => {
  const status = openConversation.get().conversation?.status;
  return status === 'resolved' || status === 'closed';
};

function focusAssign(): void {
  paneUi.update((ui) => (ui.actionsOpen ? ui : { ...ui, actionsOpen: true }));
  // The actions may have just been shown: focus once they are laid out.
  requestAnimationFrame(() => document.querySelector<HTMLSelectElement>('[data-testid=action-assign]')?.focus());
}

/** The inbox shortcuts: j/k move and open, r reply, e resolve, a assign, ? help. */
export function useInboxKeyboard(view: string, conversationId: string | null): void {
  const current = useRef({ view, conversationId });
  current.current = { view, conversationId };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTyping(event)) return;
      const { view: shown, conversationId: openId } = current.current;
      const actions: Record<string, (() => void) | undefined> = {
        j: () => move(shown, openId, 1),
        k: () => move(shown, openId, -1),
        '?': openHelp,
        r: openId ? focusComposer : undefined,
        e: openId && !isFinished() ? () => void resolveConversation(openId) : undefined,
        a: openId ? focusAssign : undefined,
      };
      const action = actions[event.key];
      if (!action) return;
      // Keeps the letter out of the field the shortcut focuses.
      event.preventDefault();
      action();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
