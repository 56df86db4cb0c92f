import { useRef } from 'preact/hooks';
import type { TemplateProblem } from './campaignShapes';

/** The offset in `source` of a 1-based line and column. */
function offsetOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = source.indexOf('\n', offset);
    if (next === -1) return source.length;
    offset = next + 1;
  }
  return Math.min(source.length, offset + column - 1);
}

/**
 * A template (subject, HTML or text) with the hub's complaint about it right under it, and a button
 * that puts the caret where the complaint points.
 */
export function TemplateField({
  id,
  testId,
  label,
  value,
  problem,
  multiline,
  rows,
  readOnly,
  hint,
  onInput,
}: {
  id: string;
  testId: string;
  label: string;
  value: string;
  problem: TemplateProblem | null;
  multiline: boolean;
  rows?: number;
  readOnly?: boolean;
  hint?: string;
  onInput: (value: string) => void;
}) {
  const control = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const reveal = () => {
    const element = control.current;
    if (!element || !problem) return;
    const at = offsetOf(value, problem.line, problem.column);
    element.focus();
    element.setSelectionRange(at, Math.min(value.length, at + 1));
  };
  const describedBy = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    ref: control,
    'data-testid': testId,
    value,
    readOnly,
    spellcheck: !multiline,
    'aria-invalid': Boolean(problem),
    'aria-describedby': describedBy,
    onInput: (event: Event) => onInput((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`set-field${problem ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {multiline ? <textarea {...common} class="cmp-code" rows={rows ?? 10} wrap="off" /> : <input {...common} maxLength={1000} />}
      {hint && (
        <p class="set-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {problem && (
        <p class="set-problem cmp-template-problem" id={`${id}-problem`} data-testid={`${testId}-problem`}>
          <span>
            Line {problem.line}, column {problem.column}: {problem.message}
          </span>{' '}
          {!readOnly && (
            <button type="button" class="link" onClick={reveal}>
              Show
            </button>
          )}
        </p>
      )}
    </div>
  );
}
