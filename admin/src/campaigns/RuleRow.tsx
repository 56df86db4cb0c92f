import { ACTIVITY_KINDS, FIELD_KINDS, FIELDS, fieldKind, INTENT_GROUPS, OP_LABELS, RFM_NAMES, takesIntent, valueKind } from './segmentFields';
import type { Rule } from './segmentRules';

/** Where the hub found a filter wrong: `details.path` of `invalid_segment`, and what it said. */
export type FilterProblem = { path: string; message: string };

/** The part of a condition a problem is about, when it is about this condition at all. */
function problemPart(problem: FilterProblem | null, path: string): string | null {
  if (!problem) return null;
  if (problem.path === path) return '';
  return problem.path.startsWith(`${path}.`) ? (problem.path.slice(path.length + 1).split('.')[0] ?? '') : null;
}

function IntentOptions({ intents }: { intents: string[] }) {
  return (
    <>
      <optgroup label="Groups">
        {INTENT_GROUPS.map((group) => (
          <option value={group}>{group.replace(/_/g, ' ')}</option>
        ))}
      </optgroup>
      <optgroup label="Intents">
        {intents.map((intent) => (
          <option value={intent}>{intent.replace(/_/g, ' ')}</option>
        ))}
      </optgroup>
    </>
  );
}

/** One condition: field, operator (only those the field takes) and the value input the pair needs. */
export function RuleRow({ rule, path, problem, intents, disabled, onChange, onRemove }: { rule: Rule; path: string; problem: FilterProblem | null; intents: string[]; disabled: boolean; onChange: (rule: Rule) => void; onRemove: () => void }) {
  const kind = fieldKind(rule.field);
  const ops = FIELD_KINDS[kind].ops;
  const part = problemPart(problem, path);
  const problemId = `${path}-problem`;
  const invalid = (name: string) => (part === name || (part === '' && name === 'value') ? { 'aria-invalid': true as const, 'aria-describedby': problemId } : {});
  const set = (change: Partial<Rule>) => onChange({ ...rule, ...change });
  const changeField = (field: string) => {
    const nextKind = fieldKind(field);
    const nextOps = FIELD_KINDS[nextKind].ops;
    set({ field, op: nextOps.includes(rule.op) ? rule.op : nextKind === 'date' ? 'withinDays' : nextOps[0]!, value: '' });
  };
  const valueKindNow = valueKind(kind, rule.op);
  const fieldLabel = FIELDS.find((known) => known.field === rule.field)?.label ?? rule.field;

  let valueInput = null;
  switch (valueKindNow) {
    case 'none':
      break;
    case 'activity':
      valueInput = (
        <>
          <span class="seg-days-group">
            <input class="seg-days" type="number" min={1} max={36500} inputMode="numeric" aria-label="Days" value={rule.days} disabled={disabled} onInput={(e) => set({ days: e.currentTarget.value })} {...invalid('value')} />
            <span class="muted">days:</span>
          </span>
          <select aria-label="What happened" value={rule.activityKind} disabled={disabled} onChange={(e) => set({ activityKind: e.currentTarget.value, intent: takesIntent(e.currentTarget.value) ? rule.intent : '' })}>
            {ACTIVITY_KINDS.map((option) => (
              <option value={option.value}>{option.label}</option>
            ))}
          </select>
          {takesIntent(rule.activityKind) && (
            <select aria-label="About (intent)" value={rule.intent} disabled={disabled} onChange={(e) => set({ intent: e.currentTarget.value })}>
              <option value="">about anything</option>
              <IntentOptions intents={intents} />
            </select>
          )}
        </>
      );
      break;
    case 'rfm':
    case 'intent': {
      const options = valueKindNow === 'rfm' ? RFM_NAMES.map((name) => <option value={name}>{name}</option>) : <IntentOptions intents={intents} />;
      valueInput =
        rule.op === 'in' ? (
          <select
            multiple
            size={4}
            class="seg-multi"
            aria-label={`${fieldLabel} values`}
            disabled={disabled}
            onChange={(e) => set({ value: [...e.currentTarget.selectedOptions].map((option) => option.value).join(', ') })}
            {...invalid('value')}
          >
            {valueKindNow === 'rfm'
              ? RFM_NAMES.map((name) => <option value={name} selected={rule.value.split(', ').includes(name)}>{name}</option>)
              : [...INTENT_GROUPS, ...intents].map((name) => <option value={name} selected={rule.value.split(', ').includes(name)}>{name.replace(/_/g, ' ')}</option>)}
          </select>
        ) : (
          <select aria-label={`${fieldLabel} value`} value={rule.value} disabled={disabled} onChange={(e) => set({ value: e.currentTarget.value })} {...invalid('value')}>
            <option value="">Choose…</option>
            {options}
          </select>
        );
      break;
    }
    default: {
      const type = valueKindNow === 'date' ? 'date' : valueKindNow === 'number' || valueKindNow === 'days' ? 'number' : 'text';
      const placeholder = valueKindNow === 'texts' ? 'a, b, c' : valueKindNow === 'numbers' ? '1, 2, 3' : valueKindNow === 'days' ? 'days' : '';
      const input = (
        <input
          class={valueKindNow === 'days' ? 'seg-days' : 'seg-value'}
          type={type as 'text'}
          step={type === 'number' ? 'any' : undefined}
          aria-label={valueKindNow === 'days' ? 'Days' : `${fieldLabel} value`}
          placeholder={placeholder}
          value={rule.value}
          disabled={disabled}
          onInput={(e) => set({ value: e.currentTarget.value })}
          {...invalid('value')}
        />
      );
      valueInput =
        valueKindNow === 'days' ? (
          <span class="seg-days-group">
            {input}
            <span class="muted">{rule.op === 'olderThanDays' ? 'days ago' : 'days'}</span>
          </span>
        ) : (
          input
        );
    }
  }

  return (
    <div class={`seg-rule${part !== null ? ' invalid' : ''}`} role="group" aria-label={`Condition on ${fieldLabel}`}>
      <div class="seg-rule-inputs">
        <select aria-label="Field" value={rule.field} disabled={disabled} onChange={(e) => changeField(e.currentTarget.value)} {...invalid('field')}>
          {FIELDS.map((option) => (
            <option value={option.field}>{option.label}</option>
          ))}
        </select>
        {rule.field === 'attr' && (
          <input class="seg-attr" aria-label="Attribute key" placeholder="plan" value={rule.attrKey} disabled={disabled} onInput={(e) => set({ attrKey: e.currentTarget.value })} {...invalid('field')} />
        )}
        <select aria-label="Operator" value={rule.op} disabled={disabled} onChange={(e) => set({ op: e.currentTarget.value })} {...invalid('op')}>
          {ops.map((op) => (
            <option value={op}>{OP_LABELS[op] ?? op}</option>
          ))}
        </select>
        {valueInput}
        {!disabled && (
          <button type="button" class="seg-remove" aria-label={`Remove the condition on ${fieldLabel}`} onClick={onRemove}>
            ×
          </button>
        )}
      </div>
      {part !== null && (
        <p class="set-problem" id={problemId}>
          {problem!.message}
        </p>
      )}
    </div>
  );
}
