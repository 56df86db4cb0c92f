import { HubError } from './errors';
import { normalizeIdentity } from './identities';
import { type Intent, intents } from './intents';
import { rfmSegments } from './rfm';
import { dateValue, days, fail, isRecord, list, numberText, type Path, scalarText, text, textList } from './segmentValues';
import { timelineKinds } from './timeline';

/** One test on a customer: `{ field: 'orders.count', op: 'gte', value: 3 }`. */
export type SegmentCondition = { field: string; op: string; value?: unknown };
/** A saved filter over customers: conditions combined with all (and), any (or) and not. */
export type SegmentFilter = { all: SegmentFilter[] } | { any: SegmentFilter[] } | { not: SegmentFilter } | SegmentCondition;

/** Intent families a filter may name instead of single intents (the Bitext categories, and billing). */
export const intentGroups: Record<string, readonly Intent[]> = {
  billing: ['check_invoice', 'get_invoice', 'check_payment_methods', 'payment_issue', 'check_cancellation_fee', 'check_refund_policy', 'get_refund', 'track_refund'],
  account: ['create_account', 'delete_account', 'edit_account', 'recover_password', 'registration_problems', 'switch_account'],
  contact: ['contact_customer_service', 'contact_human_agent'],
  delivery: ['delivery_options', 'delivery_period'],
  feedback: ['complaint', 'review'],
  invoice: ['check_invoice', 'get_invoice'],
  newsletter: ['newsletter_subscription'],
  order: ['cancel_order', 'change_order', 'place_order', 'track_order'],
  payment: ['check_payment_methods', 'payment_issue'],
  refund: ['check_refund_policy', 'get_refund', 'track_refund'],
  shipping_address: ['change_shipping_address', 'set_up_shipping_address'],
};

const MAX_DEPTH = 10;
const MAX_CONDITIONS = 200;
const ATTRIBUTE_KEY = /^[A-Za-z0-9_-]{1,64}$/;

const TEXT_OPS = ['eq', 'neq', 'in', 'contains', 'startsWith', 'exists', 'notExists'] as const;
const NUMBER_OPS = ['eq', 'neq', 'in', 'gt', 'gte', 'lt', 'lte'] as const;
const DATE_OPS = ['before', 'after', 'withinDays', 'olderThanDays', 'exists', 'notExists'] as const;
const NEGATED: Record<string, string> = { neq: 'eq', notExists: 'exists', notWithin: 'within' };
const timelineFamilies = [...new Set(timelineKinds.map((kind) => kind.split('.')[0]!))];

type Condition = { op: string; value: unknown; path: Path };
type FieldCompiler = { ops: readonly string[]; compile: (c: Condition, q: Query) => string };

/**
 * The filter as `SELECT cu.id FROM customers cu WHERE …` over live customers (never merged-away or
 * erased ones), every value a bound parameter numbered from `firstParam`. Identifiers come only from
 * the field table below, so no part of the input is ever spliced into the SQL text.
 * Throws `invalid_segment` with `details.path` (e.g. `filter.all.1.op`) for anything it does not know.
 */
export function compileSegmentFilter(filter: SegmentFilter, firstParam = 1): { sql: string; params: unknown[] } {
  const query = new Query(firstParam);
  const where = query.node(filter, ['filter'], 0);
  return {
    sql: `SELECT cu.id FROM customers cu WHERE cu.merged_into_id IS NULL AND cu.erased_at IS NULL AND (${where})`,
    params: query.params,
  };
}

class Query {
  readonly params: unknown[] = [];
  private conditions = 0;

  constructor(private readonly firstParam: number) {}

  /** A placeholder for the value, cast so both PostgreSQL and PGlite know its type. */
  param(value: unknown, cast: string): string {
    this.params.push(value);
    return `$${this.firstParam + this.params.length - 1}::${cast}`;
  }

  node(input: unknown, path: Path, depth: number): string {
    if (depth > MAX_DEPTH) fail(path, `Filters nest at most ${MAX_DEPTH} deep`);
    if (!isRecord(input)) return fail(path, 'A filter is an object: { all: [...] }, { any: [...] }, { not: {...} } or { field, op, value }');
    const keys = Object.keys(input);
    for (const combinator of ['all', 'any'] as const) {
      if (!(combinator in input)) continue;
      if (keys.length !== 1) fail(path, `"${combinator}" stands alone in its object`);
      const list = input[combinator];
      if (!Array.isArray(list)) return fail([...path, combinator], `"${combinator}" is a list of filters`);
      if (list.length === 0) return combinator === 'all' ? 'true' : 'false';
      const parts = list.map((child, index) => this.node(child, [...path, combinator, index], depth + 1));
      return `(${parts.join(combinator === 'all' ? ' AND ' : ' OR ')})`;
    }
    if ('not' in input) {
      if (keys.length !== 1) fail(path, '"not" stands alone in its object');
      return `NOT ${this.node(input.not, [...path, 'not'], depth + 1)}`;
    }
    return this.condition(input, path);
  }

  private condition(input: Record<string, unknown>, path: Path): string {
    if (++this.conditions > MAX_CONDITIONS) fail(path, `A filter has at most ${MAX_CONDITIONS} conditions`);
    const unknown = Object.keys(input).find((key) => !['field', 'op', 'value'].includes(key));
    if (unknown !== undefined) fail([...path, unknown], `Unknown key "${unknown}"; a condition has field, op and value`);
    const { field, op, value } = input;
    if (typeof field !== 'string') return fail([...path, 'field'], 'The condition needs a field');
    const compiler = fieldCompiler(field);
    if (!compiler) {
      const hint = field.startsWith('attr.') ? 'attribute keys are 1 to 64 letters, digits, "_" or "-"' : `fields are ${Object.keys(FIELDS).join(', ')}, attr.<key>`;
      return fail([...path, 'field'], `Unknown field "${field.slice(0, 100)}"; ${hint}`);
    }
    if (typeof op !== 'string' || !compiler.ops.includes(op)) {
      return fail([...path, 'op'], `"${field}" takes the operators ${compiler.ops.join(', ')}`);
    }
    const positive = NEGATED[op];
    if (positive === undefined) return `coalesce(${compiler.compile({ op, value, path: [...path, 'value'] }, this)}, false)`;
    // Negations are exactly "not the positive test", so a customer without the value matches neq.
    return `NOT coalesce(${compiler.compile({ op: positive, value, path: [...path, 'value'] }, this)}, false)`;
  }
}

function fieldCompiler(field: string): FieldCompiler | undefined {
  if (field.startsWith('attr.')) {
    // The keys customers can have (customers.ts); the key is still a bound parameter, never SQL text.
    const key = field.slice('attr.'.length);
    return ATTRIBUTE_KEY.test(key) ? attributeField(key) : undefined;
  }
  return Object.hasOwn(FIELDS, field) ? FIELDS[field] : undefined;
}

const FIELDS: Record<string, FieldCompiler> = {
  name: textColumn("coalesce(cu.name, '')"),
  email: identityField('email'),
  phone: identityField('phone'),
  tag: {
    ops: ['eq', 'neq', 'in', 'exists', 'notExists'],
    compile: ({ op, value, path }, q) => {
      if (op === 'exists') return 'cardinality(cu.tags) > 0';
      const tags = (op === 'in' ? textList(value, path) : [text(value, path)]).map((tag) => tag.trim().toLowerCase());
      return op === 'in' ? `cu.tags && ${q.param(tags, 'text[]')}` : `cu.tags @> ${q.param(tags, 'text[]')}`;
    },
  },
  'orders.count': numberColumn('cu.order_count'),
  'orders.lifetimeValue': numberColumn('cu.lifetime_value'),
  'orders.firstAt': dateColumn('cu.first_order_at'),
  'orders.lastAt': dateColumn('cu.last_order_at'),
  createdAt: dateColumn('cu.created_at'),
  'rfm.segment': {
    ops: ['eq', 'neq', 'in', 'exists', 'notExists'],
    compile: ({ op, value, path }, q) => {
      if (op === 'exists') return 'cu.rfm_segment IS NOT NULL';
      const names = (op === 'in' ? textList(value, path) : [text(value, path)]).map((name, index) => {
        const segment = rfmSegments.find((known) => known.toLowerCase() === name.trim().toLowerCase());
        return segment ?? fail(op === 'in' ? [...path, index] : path, `Unknown RFM segment "${name}"; one of ${rfmSegments.join(', ')}`);
      });
      return `cu.rfm_segment = ANY(${q.param(names, 'text[]')})`;
    },
  },
  intent: {
    ops: ['eq', 'neq', 'in', 'exists', 'notExists'],
    compile: ({ op, value, path }, q) => {
      const matching = op === 'exists' ? "cv.intent IS NOT NULL AND cv.intent <> 'unknown'" : `cv.intent = ANY(${q.param(intentList(op, value, path), 'text[]')})`;
      return `EXISTS (SELECT 1 FROM conversations cv WHERE cv.customer_id = cu.id AND ${matching})`;
    },
  },
  activity: {
    ops: ['within', 'notWithin'],
    compile: ({ value, path }, q) => activity(value, path, q),
  },
};

function textColumn(column: string): FieldCompiler {
  return {
    ops: TEXT_OPS,
    compile: ({ op, value, path }, q) => (op === 'exists' ? `${column} <> ''` : textTest(`lower(${column})`, op, value, path, q)),
  };
}

/** Case-insensitive text tests; contains and startsWith match literally (% and _ are escaped). */
function textTest(lowered: string, op: string, value: unknown, path: Path, q: Query): string {
  switch (op) {
    case 'eq':
      return `${lowered} = ${q.param(text(value, path).toLowerCase(), 'text')}`;
    case 'in':
      return `${lowered} = ANY(${q.param(textList(value, path).map((item) => item.toLowerCase()), 'text[]')})`;
    case 'contains':
      return `${lowered} LIKE ${q.param(`%${escapeLike(text(value, path).toLowerCase())}%`, 'text')}`;
    default:
      return `${lowered} LIKE ${q.param(`${escapeLike(text(value, path).toLowerCase())}%`, 'text')}`;
  }
}

/** A customer may have several emails or phones: the test holds when any of them passes. */
function identityField(kind: 'email' | 'phone'): FieldCompiler {
  return {
    ops: kind === 'email' ? [...TEXT_OPS, 'domain'] : TEXT_OPS,
    compile: ({ op, value, path }, q) => {
      let test = 'true';
      if (op === 'domain') {
        const domains = (Array.isArray(value) ? textList(value, path) : [text(value, path)]).map((domain) => domain.trim().toLowerCase().replace(/^@/, ''));
        test = `split_part(ci.value, '@', 2) = ANY(${q.param(domains, 'text[]')})`;
      } else if (op === 'eq' || op === 'in') {
        const values = op === 'in' ? textList(value, path) : [text(value, path)];
        test = `ci.value = ANY(${q.param(values.map((given) => identityValue(kind, given, path)), 'text[]')})`;
      } else if (op !== 'exists') {
        test = textTest('lower(ci.value)', op, value, path, q);
      }
      return `EXISTS (SELECT 1 FROM customer_identities ci WHERE ci.customer_id = cu.id AND ci.kind = '${kind}' AND ${test})`;
    },
  };
}

function identityValue(kind: 'email' | 'phone', given: string, path: Path): string {
  try {
    return normalizeIdentity({ kind, value: given }).value;
  } catch (error) {
    return fail(path, error instanceof HubError ? error.message : `${JSON.stringify(given)} is not a valid ${kind}`);
  }
}

function numberColumn(column: string): FieldCompiler {
  return { ops: NUMBER_OPS, compile: ({ op, value, path }, q) => numberTest(column, op, value, path, q) };
}

const COMPARISONS: Record<string, string> = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=', before: '<', after: '>' };

function numberTest(expression: string, op: string, value: unknown, path: Path, q: Query): string {
  if (op === 'in') {
    return `${expression} = ANY(${q.param(list(value, path).map((item, index) => numberText(item, [...path, index])), 'numeric[]')})`;
  }
  return `${expression} ${COMPARISONS[op]} ${q.param(numberText(value, path), 'numeric')}`;
}

function dateColumn(column: string): FieldCompiler {
  return { ops: DATE_OPS, compile: ({ op, value, path }, q) => (op === 'exists' ? `${column} IS NOT NULL` : dateTest(column, op, value, path, q)) };
}

function dateTest(expression: string, op: string, value: unknown, path: Path, q: Query): string {
  if (op === 'before' || op === 'after') return `${expression} ${COMPARISONS[op]} ${q.param(dateValue(value, path), 'timestamptz')}`;
  const since = `now() - make_interval(days => ${q.param(days(value, path), 'int')})`;
  return op === 'withinDays' ? `${expression} >= ${since}` : `${expression} < ${since}`;
}

/** `attr.<key>`: the key is a bound parameter too; numbers and dates compare only values that are numbers and dates. */
function attributeField(key: string): FieldCompiler {
  const ops = [...new Set([...TEXT_OPS, ...NUMBER_OPS, ...DATE_OPS])];
  return {
    ops,
    compile: ({ op, value, path }, q) => {
      const name = q.param(key, 'text');
      if (op === 'exists') return `coalesce(jsonb_typeof(cu.attributes -> ${name}), 'null') <> 'null'`;
      const asText = `(cu.attributes ->> ${name})`;
      if (op === 'eq') return `${asText} = ${q.param(scalarText(value, path), 'text')}`;
      if (op === 'in') {
        return `${asText} = ANY(${q.param(list(value, path).map((item, index) => scalarText(item, [...path, index])), 'text[]')})`;
      }
      if (op === 'contains' || op === 'startsWith') return textTest(`lower(${asText})`, op, value, path, q);
      if (op in COMPARISONS && !['before', 'after'].includes(op)) {
        // CASE keeps the cast away from values that are not numbers (a text "n/a" must not fail the query).
        const asNumber = `(CASE WHEN ${asText} ~ '^-?[0-9]+(\\.[0-9]+)?$' OR jsonb_typeof(cu.attributes -> ${name}) = 'number' THEN ${asText}::numeric END)`;
        return numberTest(asNumber, op, value, path, q);
      }
      return dateTest(`segment_timestamptz(${asText})`, op, value, path, q);
    },
  };
}

function activity(value: unknown, path: Path, q: Query): string {
  if (!isRecord(value)) return fail(path, 'activity takes { kind, days, intent? }, e.g. { "kind": "message.received", "days": 30 }');
  const unknown = Object.keys(value).find((key) => !['kind', 'days', 'intent'].includes(key));
  if (unknown !== undefined) fail([...path, unknown], `Unknown key "${unknown}"; activity takes kind, days and intent`);
  const kind = text(value.kind, [...path, 'kind']);
  const tests = [`te.at >= now() - make_interval(days => ${q.param(days(value.days, [...path, 'days']), 'int')})`];
  if ((timelineKinds as readonly string[]).includes(kind)) tests.push(`te.kind = ${q.param(kind, 'text')}`);
  else if (timelineFamilies.includes(kind)) tests.push(`te.kind LIKE ${q.param(`${kind}.%`, 'text')}`);
  else fail([...path, 'kind'], `Unknown timeline kind "${kind.slice(0, 100)}"; a kind (message.received) or a family (${timelineFamilies.join(', ')})`);
  let join = '';
  if (value.intent !== undefined) {
    const family = kind.split('.')[0];
    if (family !== 'message' && family !== 'conversation') fail([...path, 'intent'], 'An intent applies to message and conversation activity only');
    const list = intentList(Array.isArray(value.intent) ? 'in' : 'eq', value.intent, [...path, 'intent']);
    // Message events name their conversation in data; conversation events in reference.
    join = `JOIN conversations cv ON cv.id = coalesce(te.data ->> 'conversationId', te.reference) AND cv.intent = ANY(${q.param(list, 'text[]')})`;
  }
  return `EXISTS (SELECT 1 FROM timeline_events te ${join} WHERE te.customer_id = cu.id AND ${tests.join(' AND ')})`;
}

function intentList(op: string, value: unknown, path: Path): string[] {
  const names = op === 'in' ? textList(value, path) : [text(value, path)];
  return [
    ...new Set(
      names.flatMap((name, index): readonly string[] => {
        if (Object.hasOwn(intentGroups, name)) return intentGroups[name]!;
        if ((intents as readonly string[]).includes(name)) return [name];
        return fail(op === 'in' ? [...path, index] : path, `Unknown intent "${name.slice(0, 100)}"; an intent or one of ${Object.keys(intentGroups).join(', ')}`);
      }),
    ),
  ];
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (character) => `\\${character}`);
