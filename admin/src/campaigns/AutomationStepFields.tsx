import { rateOf, type CampaignStats, type TemplateProblem } from './campaignShapes';
import { delayWords } from './automationShapes';
import { TemplateField } from './TemplateField';

export type StepDraft = { key: number; delay: string; subject: string; html: string; text: string; fromEmail: string; fromName: string; stats: CampaignStats | null; seconds: number | null };

/** One step of an automation: the wait before it, and its email. Problems are keyed `subject`, `delay`…. */
export function AutomationStepFields({
  step,
  index,
  count,
  problems,
  template,
  readOnly,
  onChange,
  onRemove,
  onMove,
}: {
  step: StepDraft;
  index: number;
  count: number;
  problems: Record<string, string>;
  template: TemplateProblem | null;
  readOnly: boolean;
  onChange: (step: StepDraft) => void;
  onRemove: () => void;
  onMove: (by: -1 | 1) => void;
}) {
  const id = `step-${step.key}`;
  const set = (change: Partial<StepDraft>) => onChange({ ...step, ...change });
  const problem = (name: string) => problems[name];
  const templateOf = (field: TemplateProblem['field']) => (template?.field === field ? template : null);
  return (
    <li class="cmp-panel aut-step" data-testid="automation-step" aria-label={`Step ${index + 1}`}>
      <div class="aut-step-head">
        <h3>Step {index + 1}</h3>
        {step.seconds !== null && <span class="muted">{delayWords(step.seconds, index === 0)}</span>}
        {step.stats && (
          <span class="muted aut-step-stats">
            {step.stats.sent.toLocaleString()} sent · {rateOf(step.stats.opened, step.stats.sent)} opened · {rateOf(step.stats.clicked, step.stats.sent)} clicked
          </span>
        )}
        {!readOnly && (
          <span class="aut-step-tools">
            <button type="button" aria-label={`Move step ${index + 1} up`} disabled={index === 0} onClick={() => onMove(-1)}>
              ↑
            </button>
            <button type="button" aria-label={`Move step ${index + 1} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
              ↓
            </button>
            <button type="button" class="danger" disabled={count === 1} onClick={onRemove}>
              Remove
            </button>
          </span>
        )}
      </div>
      <div class="aut-grid3">
        <div class={`set-field${problem('delay') ? ' invalid' : ''}`}>
          <label for={`${id}-delay`}>{index === 0 ? 'Wait after the trigger' : 'Wait after the previous step'}</label>
          <input id={`${id}-delay`} data-testid="automation-step-delay" value={step.delay} placeholder="2d" readOnly={readOnly} aria-invalid={Boolean(problem('delay'))} onInput={(e) => set({ delay: e.currentTarget.value })} />
          <p class={problem('delay') ? 'set-problem' : 'set-hint'}>{problem('delay') ?? '30m, 1h, 2d, 1w, or 0'}</p>
        </div>
        <div class={`set-field${problem('from.email') ? ' invalid' : ''}`}>
          <label for={`${id}-from-email`}>From address (optional)</label>
          <input id={`${id}-from-email`} type="email" value={step.fromEmail} placeholder="The support address" readOnly={readOnly} aria-invalid={Boolean(problem('from.email'))} onInput={(e) => set({ fromEmail: e.currentTarget.value })} />
          {problem('from.email') && <p class="set-problem">{problem('from.email')}</p>}
        </div>
        <div class="set-field">
          <label for={`${id}-from-name`}>From name</label>
          <input id={`${id}-from-name`} value={step.fromName} readOnly={readOnly} onInput={(e) => set({ fromName: e.currentTarget.value })} />
        </div>
      </div>
      <TemplateField id={`${id}-subject`} testId="automation-step-subject" label="Subject" multiline={false} value={step.subject} problem={templateOf('subject')} readOnly={readOnly} onInput={(subject) => set({ subject })} />
      {problem('subject') && <p class="set-problem">{problem('subject')}</p>}
      <TemplateField id={`${id}-html`} testId="automation-step-html" label="HTML body" multiline rows={8} value={step.html} problem={templateOf('html')} readOnly={readOnly} onInput={(html) => set({ html })} />
      {(problem('html') ?? problem('html, text')) && <p class="set-problem">{problem('html') ?? problem('html, text')}</p>}
      <TemplateField id={`${id}-text`} testId="automation-step-text" label="Text body" multiline rows={5} value={step.text} problem={templateOf('text')} readOnly={readOnly} onInput={(text) => set({ text })} />
      {problem('text') && <p class="set-problem">{problem('text')}</p>}
    </li>
  );
}
