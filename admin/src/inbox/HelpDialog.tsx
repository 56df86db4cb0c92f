import { useEffect, useRef } from 'preact/hooks';
import { createStore, useStore } from '../store';

const helpOpen = createStore(false);
export const openHelp = () => helpOpen.set(true);

export const SHORTCUTS: [string, string][] = [
  ['j', 'Next conversation'],
  ['k', 'Previous conversation'],
  ['r', 'Reply (focus the reply box)'],
  ['e', 'Resolve the open conversation'],
  ['a', 'Assign (focus the assignee)'],
  ['Ctrl+Enter', 'Send the reply or note'],
  ['?', 'Show this help'],
  ['Esc', 'Close this help'],
];

/** The keyboard shortcuts, in a modal dialog that Esc closes. */
export function HelpDialog() {
  const open = useStore(helpOpen);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog ref={dialog} class="help-dialog" data-testid="help-dialog" aria-labelledby="help-title" onClose={() => helpOpen.set(false)}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">Shortcuts do nothing while you type in a field.</p>
      <form method="dialog">
        <button type="submit" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
