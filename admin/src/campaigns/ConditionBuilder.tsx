import { type FilterProblem, RuleRow } from './RuleRow';
import { type Group, groupRulePath, itemPath, type Match, newGroup, newRule, type Rule, type Rules } from './segmentRules';

function MatchSelect({ value, label, disabled, onChange }: { value: Match; label: string; disabled: boolean; onChange: (match: Match) => void }) {
  return (
    <select aria-label={label} value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value as Match)}>
      <option value="all">all</option>
      <option value="any">any</option>
    </select>
  );
}

/** Conditions combined with all (and) or any (or), with groups one level deep. */
export function ConditionBuilder({ rules, problem, intents, disabled, onChange }: { rules: Rules; problem: FilterProblem | null; intents: string[]; disabled: boolean; onChange: (rules: Rules) => void }) {
  const setItem = (index: number, item: Rule | Group) => onChange({ ...rules, items: rules.items.map((current, i) => (i === index ? item : current)) });
  const removeItem = (index: number) => onChange({ ...rules, items: rules.items.filter((_, i) => i !== index) });
  const topProblem = problem && (problem.path === 'filter' || problem.path === `filter.${rules.match}`) ? problem : null;

  return (
    <div class="seg-builder">
      <p class="seg-match">
        Customers who match <MatchSelect value={rules.match} label="Match all or any of the conditions" disabled={disabled} onChange={(match) => onChange({ ...rules, match })} /> of these
        conditions{rules.items.length === 0 ? (rules.match === 'all' ? ': everyone, for now.' : ': no one, for now.') : ':'}
      </p>
      <ul class="seg-items">
        {rules.items.map((item, index) =>
          item.type === 'rule' ? (
            <li key={item.key}>
              <RuleRow rule={item} path={itemPath(rules, index)} problem={problem} intents={intents} disabled={disabled} onChange={(rule) => setItem(index, rule)} onRemove={() => removeItem(index)} />
            </li>
          ) : (
            <li key={item.key} class="seg-group">
              <p class="seg-match">
                A group where <MatchSelect value={item.match} label="Match all or any in the group" disabled={disabled} onChange={(match) => setItem(index, { ...item, match })} /> of these hold:
                {!disabled && (
                  <button type="button" class="link" onClick={() => removeItem(index)}>
                    Remove group
                  </button>
                )}
              </p>
              <ul class="seg-items">
                {item.rules.map((rule, ruleIndex) => (
                  <li key={rule.key}>
                    <RuleRow
                      rule={rule}
                      path={groupRulePath(rules, index, item, ruleIndex)}
                      problem={problem}
                      intents={intents}
                      disabled={disabled}
                      onChange={(next) => setItem(index, { ...item, rules: item.rules.map((current, i) => (i === ruleIndex ? next : current)) })}
                      onRemove={() => (item.rules.length === 1 ? removeItem(index) : setItem(index, { ...item, rules: item.rules.filter((_, i) => i !== ruleIndex) }))}
                    />
                  </li>
                ))}
              </ul>
              {!disabled && (
                <button type="button" class="link" onClick={() => setItem(index, { ...item, rules: [...item.rules, newRule()] })}>
                  + Condition in this group
                </button>
              )}
            </li>
          ),
        )}
      </ul>
      {topProblem && <p class="set-problem">{topProblem.message}</p>}
      {!disabled && (
        <div class="set-actions">
          <button type="button" onClick={() => onChange({ ...rules, items: [...rules.items, newRule()] })}>
            + Condition
          </button>
          <button type="button" onClick={() => onChange({ ...rules, items: [...rules.items, newGroup()] })}>
            + Group
          </button>
        </div>
      )}
    </div>
  );
}
