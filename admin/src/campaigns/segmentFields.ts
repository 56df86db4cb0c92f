import { RFM_SEGMENTS } from '../customers/customerShapes';

/** What a segment condition can test (README, "Segments"), as the condition builder offers it. */

export type ValueKind = 'none' | 'text' | 'texts' | 'number' | 'numbers' | 'days' | 'date' | 'rfm' | 'intent' | 'activity';
export type FieldKind = 'text' | 'email' | 'phone' | 'tag' | 'attr' | 'number' | 'date' | 'rfm' | 'intent' | 'activity';

const TEXT_OPS = ['eq', 'neq', 'in', 'contains', 'startsWith', 'exists', 'notExists'];
const NUMBER_OPS = ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte'];
const DATE_OPS = ['before', 'after', 'withinDays', 'olderThanDays', 'exists', 'notExists'];
const SET_OPS = ['eq', 'neq', 'in', 'exists', 'notExists'];

export const FIELD_KINDS: Record<FieldKind, { ops: string[] }> = {
  text: { ops: TEXT_OPS },
  email: { ops: [...TEXT_OPS, 'domain'] },
  phone: { ops: TEXT_OPS },
  tag: { ops: SET_OPS },
  attr: { ops: [...new Set([...TEXT_OPS, ...NUMBER_OPS, ...DATE_OPS])] },
  number: { ops: NUMBER_OPS },
  date: { ops: DATE_OPS },
  rfm: { ops: SET_OPS },
  intent: { ops: SET_OPS },
  activity: { ops: ['within', 'notWithin'] },
};

/** The fields in the order the builder lists them; `attr` stands for `attr.<key>`. */
export const FIELDS: { field: string; label: string; kind: FieldKind }[] = [
  { field: 'name', label: 'Name', kind: 'text' },
  { field: 'email', label: 'Email', kind: 'email' },
  { field: 'phone', label: 'Phone', kind: 'phone' },
  { field: 'tag', label: 'Tag', kind: 'tag' },
  { field: 'attr', label: 'Attribute…', kind: 'attr' },
  { field: 'orders.count', label: 'Number of orders', kind: 'number' },
  { field: 'orders.lifetimeValue', label: 'Lifetime value', kind: 'number' },
  { field: 'orders.firstAt', label: 'First order', kind: 'date' },
  { field: 'orders.lastAt', label: 'Last order', kind: 'date' },
  { field: 'createdAt', label: 'Customer since', kind: 'date' },
  { field: 'rfm.segment', label: 'RFM segment', kind: 'rfm' },
  { field: 'intent', label: 'Conversation intent', kind: 'intent' },
  { field: 'activity', label: 'Activity', kind: 'activity' },
];

export const OP_LABELS: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  contains: 'contains',
  startsWith: 'starts with',
  exists: 'is set',
  notExists: 'is not set',
  domain: 'has the domain',
  gt: 'is more than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  before: 'is before',
  after: 'is after',
  withinDays: 'is within the last',
  olderThanDays: 'is more than',
  within: 'happened in the last',
  notWithin: 'did not happen in the last',
};

export const fieldKind = (field: string): FieldKind => FIELDS.find((known) => known.field === field)?.kind ?? 'attr';

/** The input a condition's value needs, given its field and operator. */
export function valueKind(kind: FieldKind, op: string): ValueKind {
  if (op === 'exists' || op === 'notExists') return 'none';
  if (kind === 'activity') return 'activity';
  if (op === 'withinDays' || op === 'olderThanDays') return 'days';
  if (op === 'before' || op === 'after') return 'date';
  if (kind === 'rfm') return 'rfm';
  if (kind === 'intent') return 'intent';
  if (kind === 'number') return op === 'in' ? 'numbers' : 'number';
  if (kind === 'attr' && ['gt', 'gte', 'lt', 'lte'].includes(op)) return 'number';
  return op === 'in' || op === 'domain' ? 'texts' : 'text';
}

/** Intent families a filter may name (server/domain/segmentFilter.ts); the single intents come from the hub. */
export const INTENT_GROUPS = ['billing', 'account', 'contact', 'delivery', 'feedback', 'invoice', 'newsletter', 'order', 'payment', 'refund', 'shipping_address'];

export const RFM_NAMES: readonly string[] = RFM_SEGMENTS;

/** Timeline kinds and families activity can name (server/domain/timeline.ts). */
export const ACTIVITY_KINDS: { value: string; label: string }[] = [
  { value: 'message', label: 'Any message' },
  { value: 'message.received', label: 'Wrote to support' },
  { value: 'message.sent', label: 'Got a reply' },
  { value: 'conversation', label: 'Any conversation event' },
  { value: 'conversation.opened', label: 'Opened a conversation' },
  { value: 'conversation.resolved', label: 'Had a conversation resolved' },
  { value: 'order', label: 'Any order event' },
  { value: 'order.placed', label: 'Placed an order' },
  { value: 'form.submitted', label: 'Submitted a form' },
  { value: 'campaign', label: 'Any campaign event' },
  { value: 'campaign.sent', label: 'Was sent a campaign' },
  { value: 'campaign.opened', label: 'Opened a campaign' },
  { value: 'campaign.clicked', label: 'Clicked a campaign link' },
];

/** Activity whose events belong to a conversation, so an intent can narrow them. */
export const takesIntent = (activityKind: string) => activityKind.startsWith('message') || activityKind.startsWith('conversation');
