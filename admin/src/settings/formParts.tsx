import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/** Runs a save: busy while it runs, the hub's refusal kept to show beside the form. */
export function useSaving() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (failure) {
      setError((failure as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

export type Problems = Record<string, string>;

/** After a check found problems: focus the first field in trouble, once it is marked. */
export const focusFirstProblem = (form: EventTarget | null) =>
  requestAnimationFrame(() => (form as HTMLElement | null)?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

/** A labelled control with its hint and the problem found in it (linked for screen readers). */
export function Field({ id, label, hint, problem, children, wide }: { id: string; label: string; hint?: ComponentChildren; problem?: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <div class={`set-field${wide ? ' wide' : ''}${problem ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p class="set-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {problem && (
        <p class="set-problem" id={`${id}-problem`}>
          {problem}
        </p>
      )}
    </div>
  );
}

/** The ids a control's aria-describedby should name: its hint and its problem. */
export const describedBy = (id: string, hint: boolean, problem?: string) => [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;

/** What the hub said when it refused the form. */
export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="set-error" role="alert">
      {error}
    </p>
  );
}

/** A destructive button that asks once more before acting. */
export function ConfirmButton({ label, question, onConfirm, disabled }: { label: string; question: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" class="danger" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span class="set-confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        type="button"
        class="danger"
        ref={yes}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {label.toLowerCase()}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

/** The list and the editor side by side; on a phone one at a time, the editor with a back button. */
export function SplitView({ list, editor, editing, onBack, editorLabel }: { list: ComponentChildren; editor: ComponentChildren; editing: boolean; onBack: () => void; editorLabel: string }) {
  return (
    <div class={`set-split${editing ? ' editing' : ''}`}>
      <div class="set-list">{list}</div>
      {editing && (
        <section class="set-editor" aria-label={editorLabel}>
          <button type="button" class="set-back" onClick={onBack}>
            ← Back
          </button>
          {editor}
        </section>
      )}
    </div>
  );
}

export const humanize = (name: string) => name.replace(/_/g, ' ');
