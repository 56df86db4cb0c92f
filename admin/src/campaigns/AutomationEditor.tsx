import { useEffect, useState } from 'preact/hooks';
import { ApiError, http } from '../api/http';
import { toast } from '../components/Toasts';
import { navigate } from '../router';
import { ConfirmButton, FormError } from '../settings/formParts';
import { type Automation, automationPath, delayText, TRIGGERS, type TriggerType } from './automationShapes';
import { AutomationStepFields, type StepDraft } from './AutomationStepFields';
import { BackLink } from './BackLink';
import type { Segment, TemplateProblem } from './campaignShapes';

let nextKey = 1;
const emptyStep = (): StepDraft => ({ key: nextKey++, delay: '0', subject: '', html: '', text: '', fromEmail: '', fromName: '', stats: null, seconds: null });
const stepDraft = (step: Automation['steps'][number]): StepDraft => ({
  key: nextKey++,
  delay: delayText(step.delay),
  subject: step.subject,
  html: step.html,
  text: step.text,
  fromEmail: step.from.email,
  fromName: step.from.name,
  stats: step.stats,
  seconds: step.delay,
});

type Refused = { fields: Record<string, string>; template: (TemplateProblem & { step: number }) | null; general: string | null };
const NOTHING: Refused = { fields: {}, template: null, general: null };

/** Where the hub's refusal belongs: `steps.1.delay: …`, `trigger: …`, or a template at a step's line. */
function refusedOf(error: unknown): Refused {
  if (!(error instanceof ApiError)) return { ...NOTHING, general: (error as Error).message };
  if (error.code === 'invalid_template') {
    const details = error.details as { step?: number; field?: TemplateProblem['field']; line?: number; column?: number } | undefined;
    if (details?.field !== undefined && details.step !== undefined) {
      const message = error.message.replace(/^steps\.\d+\.\w+, line \d+, column \d+: /, '');
      return { ...NOTHING, template: { step: details.step, field: details.field, line: details.line ?? 1, column: details.column ?? 1, message } };
    }
  }
  const match = error.code === 'validation_failed' ? /^([\w.]+(?:, [\w.]+)*): (.*)$/s.exec(error.message) : null;
  return match ? { ...NOTHING, fields: { [match[1]!]: match[2]! } } : { ...NOTHING, general: error.message };
}

const customers = (count: number) => `${count.toLocaleString()} ${count === 1 ? 'customer' : 'customers'}`;

/** The problems of step `index`, keyed by the field inside it. */
const stepProblems = (fields: Record<string, string>, index: number) =>
  Object.fromEntries(
    Object.entries(fields)
      .filter(([key]) => key.startsWith(`steps.${index}.`))
      .map(([key, text]) => [key.slice(`steps.${index}.`.length), text]),
  );

/** An automation: trigger, who (a segment or everyone), whether it runs, and its steps. */
export function AutomationEditor({ automationId, canWrite }: { automationId: string | null; canWrite: boolean }) {
  const [loaded, setLoaded] = useState<Automation | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [segments, setSegments] = useState<Segment[]>([]);
  const [name, setName] = useState('');
  const [trigger, setTrigger] = useState<TriggerType>('customer.created');
  const [days, setDays] = useState('30');
  const [segmentId, setSegmentId] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [steps, setSteps] = useState<StepDraft[]>([emptyStep()]);
  const [refused, setRefused] = useState<Refused>(NOTHING);
  const [busy, setBusy] = useState(false);

  const fill = (automation: Automation) => {
    setLoaded(automation);
    setName(automation.name);
    setTrigger(automation.trigger.type);
    setDays(String(automation.trigger.days ?? 30));
    setSegmentId(automation.segmentId ?? '');
    setEnabled(automation.enabled);
    setSteps(automation.steps.map(stepDraft));
  };

  useEffect(() => {
    http.get<{ items: Segment[] }>('/api/segments').then((answer) => setSegments(answer.items), () => undefined);
    if (automationId) http.get<Automation>(`/api/automations/${encodeURIComponent(automationId)}`).then(fill, (error: Error) => setLoadError(error.message));
  }, [automationId]);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefused(NOTHING);
    const body = {
      name: name.trim(),
      trigger: trigger === 'inactivity' ? { type: trigger, days: Number(days) } : { type: trigger },
      segmentId: segmentId || null,
      enabled,
      steps: steps.map((step) => ({
        delay: /^\d+$/.test(step.delay.trim()) ? Number(step.delay.trim()) : step.delay.trim(),
        subject: step.subject,
        html: step.html,
        text: step.text,
        ...(step.fromEmail.trim() ? { from: { email: step.fromEmail.trim(), name: step.fromName.trim() } } : {}),
      })),
    };
    try {
      const saved = loaded
        ? await http.patch<Automation>(`/api/automations/${encodeURIComponent(loaded.id)}`, body)
        : await http.post<Automation>('/api/automations', body);
      toast(`"${saved.name}" saved.`);
      fill(saved);
      if (!loaded) navigate(automationPath(saved.id), { replace: true });
    } catch (error) {
      setRefused(refusedOf(error));
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (!loaded) return;
    try {
      await http.delete(`/api/automations/${encodeURIComponent(loaded.id)}`);
      toast(`"${loaded.name}" deleted.`);
      navigate(automationPath());
    } catch (error) {
      setRefused(refusedOf(error));
    }
  };

  const moveStep = (index: number, by: -1 | 1) =>
    setSteps((current) => {
      const next = [...current];
      [next[index], next[index + by]] = [next[index + by]!, next[index]!];
      return next;
    });

  if (loadError) {
    return (
      <div class="cmp-page">
        <BackLink to={automationPath()} label="Automations" />
        <p class="set-error" role="alert">
          {loadError}
        </p>
      </div>
    );
  }
  if (automationId && !loaded) return <p class="muted cmp-page">Loading…</p>;
  const { fields } = refused;

  return (
    <div class="cmp-page aut-page">
      <BackLink to={automationPath()} label="Automations" />
      <form class="set-form" onSubmit={save} noValidate aria-label={loaded ? `Automation ${loaded.name}` : 'New automation'}>
        <section class="cmp-panel set-form">
          <h1>{loaded ? loaded.name : 'New automation'}</h1>
          {loaded && (
            <p class="muted">
              {customers(loaded.enrollments.active)} in progress, {loaded.enrollments.completed} through to the end, {loaded.enrollments.stopped} stopped (replied, unsubscribed or turned off).
            </p>
          )}
          <div class={`set-field${fields.name ? ' invalid' : ''}`}>
            <label for="automation-name">Name</label>
            <input id="automation-name" data-testid="automation-name" value={name} maxLength={200} readOnly={!canWrite} aria-invalid={Boolean(fields.name)} onInput={(e) => setName(e.currentTarget.value)} />
            {fields.name && <p class="set-problem">{fields.name}</p>}
          </div>
          <div class="aut-grid3">
            <div class={`set-field${fields.trigger ? ' invalid' : ''}`}>
              <label for="automation-trigger">When</label>
              <select id="automation-trigger" data-testid="automation-trigger" value={trigger} disabled={!canWrite} onChange={(e) => setTrigger(e.currentTarget.value as TriggerType)}>
                {(Object.keys(TRIGGERS) as TriggerType[]).map((type) => (
                  <option value={type}>{TRIGGERS[type]}</option>
                ))}
              </select>
              {fields.trigger && <p class="set-problem">{fields.trigger}</p>}
            </div>
            {trigger === 'inactivity' && (
              <div class={`set-field${fields['trigger.days'] ? ' invalid' : ''}`}>
                <label for="automation-days">Days without activity</label>
                <input id="automation-days" type="number" min={1} max={3650} value={days} readOnly={!canWrite} onInput={(e) => setDays(e.currentTarget.value)} />
                {fields['trigger.days'] && <p class="set-problem">{fields['trigger.days']}</p>}
              </div>
            )}
            <div class={`set-field${fields.segmentId ? ' invalid' : ''}`}>
              <label for="automation-segment">Who</label>
              <select id="automation-segment" value={segmentId} disabled={!canWrite} onChange={(e) => setSegmentId(e.currentTarget.value)}>
                <option value="">Everyone</option>
                {segments.map((segment) => (
                  <option value={segment.id}>{segment.name}</option>
                ))}
              </select>
              {fields.segmentId && <p class="set-problem">{fields.segmentId}</p>}
            </div>
          </div>
          <label class="set-check">
            <input type="checkbox" data-testid="automation-enabled" checked={enabled} disabled={!canWrite} onChange={(e) => setEnabled(e.currentTarget.checked)} />
            On: enrol customers as the trigger happens (turning it off stops those in progress)
          </label>
          {trigger === 'conversation.resolved' && <p class="set-hint">Steps may link to a satisfaction survey with {'{{surveyUrl}}'}?rating=1 to 5.</p>}
        </section>
        <ol class="aut-steps">
          {steps.map((step, index) => (
            <AutomationStepFields
              key={step.key}
              step={step}
              index={index}
              count={steps.length}
              problems={stepProblems(fields, index)}
              template={refused.template?.step === index ? refused.template : null}
              readOnly={!canWrite}
              onChange={(next) => {
                setSteps((current) => current.map((item) => (item.key === step.key ? next : item)));
                // The mark pointed at text that has changed since.
                if (refused.template?.step === index) setRefused((current) => ({ ...current, template: null }));
              }}
              onRemove={() => setSteps((current) => current.filter((item) => item.key !== step.key))}
              onMove={(by) => moveStep(index, by)}
            />
          ))}
        </ol>
        {fields.steps && <p class="set-problem">{fields.steps}</p>}
        <FormError error={refused.general} />
        {canWrite && (
          <div class="set-actions">
            <button type="button" onClick={() => setSteps((current) => [...current, { ...emptyStep(), delay: '2d' }])} disabled={steps.length >= 20}>
              + Step
            </button>
            <button type="submit" class="primary" data-testid="automation-save" disabled={busy}>
              {busy ? 'Saving…' : loaded ? 'Save' : 'Create automation'}
            </button>
            {loaded && <ConfirmButton label="Delete" question={`Delete "${loaded.name}"? Customers in progress get no more of it.`} disabled={busy} onConfirm={() => void remove()} />}
          </div>
        )}
      </form>
    </div>
  );
}
