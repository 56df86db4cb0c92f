import type { SegmentCondition, SegmentFilter } from './campaignShapes';
import { FIELDS, fieldKind, valueKind } from './segmentFields';

/**
 * The condition builder's model: conditions in one all/any list, with groups one level deep.
 * Inputs stay text while typed; the hub checks the values and points at the one it refuses.
 */
export type Rule = { type: 'rule'; key: number; field: string; attrKey: string; op: string; value: string; days: string; activityKind: string; intent: string };
export type Group = { type: 'group'; key: number; match: Match; rules: Rule[] };
export type Match = 'all' | 'any';
export type Rules = { match: Match; items: (Rule | Group)[] };

let nextKey = 1;

export const newRule = (field = 'tag'): Rule => ({
  type: 'rule',
  key: nextKey++,
  field,
  attrKey: '',
  op: fieldKind(field) === 'activity' ? 'within' : fieldKind(field) === 'date' ? 'withinDays' : 'eq',
  value: '',
  days: '30',
  activityKind: 'message.received',
  intent: '',
});

export const newGroup = (): Group => ({ type: 'group', key: nextKey++, match: 'any', rules: [newRule()] });

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
// A number when it reads as one; otherwise the text goes as typed and the hub says what is wrong with it.
const numeric = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text.trim());

export function ruleToCondition(rule: Rule): SegmentCondition {
  const field = rule.field === 'attr' ? `attr.${rule.attrKey.trim()}` : rule.field;
  const kind = valueKind(fieldKind(rule.field), rule.op);
  switch (kind) {
    case 'none':
      return { field, op: rule.op };
    case 'activity': {
      const value: Record<string, unknown> = { kind: rule.activityKind, days: numeric(rule.days) };
      if (rule.intent) value.intent = rule.intent;
      return { field, op: rule.op, value };
    }
    case 'number':
    case 'days':
      return { field, op: rule.op, value: numeric(rule.value) };
    case 'numbers':
      return { field, op: rule.op, value: list(rule.value).map(numeric) };
    case 'texts':
      return { field, op: rule.op, value: list(rule.value) };
    case 'rfm':
    case 'intent':
      return { field, op: rule.op, value: rule.op === 'in' ? list(rule.value) : rule.value };
    default:
      return { field, op: rule.op, value: rule.field === 'attr' ? rule.value : rule.value.trim() };
  }
}

export function rulesToFilter(rules: Rules): SegmentFilter {
  const items = rules.items.map((item): SegmentFilter =>
    item.type === 'rule' ? ruleToCondition(item) : item.match === 'all' ? { all: item.rules.map(ruleToCondition) } : { any: item.rules.map(ruleToCondition) },
  );
  return rules.match === 'all' ? { all: items } : { any: items };
}

/** Where the hub's `details.path` points for an item: `filter.all.2` and, in a group, `filter.all.2.any.0`. */
export const itemPath = (rules: Rules, index: number) => `filter.${rules.match}.${index}`;
export const groupRulePath = (rules: Rules, index: number, group: Group, ruleIndex: number) => `${itemPath(rules, index)}.${group.match}.${ruleIndex}`;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const scalar = (value: unknown) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** A saved condition as a builder row, or null when the builder cannot show it (JSON mode then). */
function conditionToRule(input: unknown): Rule | null {
  if (!isRecord(input) || typeof input.field !== 'string' || typeof input.op !== 'string') return null;
  if (Object.keys(input).some((key) => !['field', 'op', 'value'].includes(key))) return null;
  const isAttr = input.field.startsWith('attr.');
  if (!isAttr && !FIELDS.some((known) => known.field === input.field && known.field !== 'attr')) return null;
  const rule = newRule(isAttr ? 'attr' : input.field);
  rule.attrKey = isAttr ? input.field.slice('attr.'.length) : '';
  rule.op = input.op;
  const { value } = input;
  if (valueKind(fieldKind(rule.field), rule.op) === 'activity') {
    if (!isRecord(value) || typeof value.kind !== 'string' || Object.keys(value).some((key) => !['kind', 'days', 'intent'].includes(key))) return null;
    if (value.intent !== undefined && typeof value.intent !== 'string') return null;
    rule.activityKind = value.kind;
    rule.days = String(value.days ?? '');
    rule.intent = (value.intent as string | undefined) ?? '';
    return rule;
  }
  if (value === undefined) return rule;
  if (Array.isArray(value) && value.every(scalar)) rule.value = value.join(', ');
  else if (scalar(value)) rule.value = String(value);
  else return null;
  return rule;
}

function listOf(input: unknown): { match: Match; items: unknown[] } | null {
  if (!isRecord(input) || Object.keys(input).length !== 1) return null;
  if (Array.isArray(input.all)) return { match: 'all', items: input.all };
  if (Array.isArray(input.any)) return { match: 'any', items: input.any };
  return null;
}

/** A saved filter in the builder, or null when it goes deeper than the builder does (or uses not). */
export function filterToRules(filter: unknown): Rules | null {
  const top = listOf(filter) ?? { match: 'all' as const, items: [filter] };
  const items: (Rule | Group)[] = [];
  for (const item of top.items) {
    const inner = listOf(item);
    if (inner) {
      const rules = inner.items.map(conditionToRule);
      if (rules.length === 0 || rules.some((rule) => rule === null)) return null;
      items.push({ type: 'group', key: nextKey++, match: inner.match, rules: rules as Rule[] });
      continue;
    }
    const rule = conditionToRule(item);
    if (!rule) return null;
    items.push(rule);
  }
  return { match: top.match, items };
}
