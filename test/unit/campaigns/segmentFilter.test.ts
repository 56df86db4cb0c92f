import { HubError } from '../../../server/domain/errors';
import { compileSegmentFilter, type SegmentFilter } from '../../../server/domain/segmentFilter';

/** The invalid_segment error a filter is refused with. */
function refusal(filter: unknown): HubError {
  try {
    compileSegmentFilter(filter as SegmentFilter);
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('invalid_segment');
    return error as HubError;
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be refused`);
}

describe('segment filter compiler', () => {
  it('selects live customers only, numbering placeholders from firstParam', () => {
    const { sql, params } = compileSegmentFilter({ all: [{ field: 'tag', op: 'eq', value: 'VIP' }, { field: 'orders.count', op: 'gte', value: 2 }] }, 3);
    expect(sql).toMatch(/^SELECT cu\.id FROM customers cu WHERE cu\.merged_into_id IS NULL AND cu\.erased_at IS NULL AND /);
    expect(sql).toContain('$3::text[]');
    expect(sql).toContain('$4::numeric');
    expect(sql).not.toContain('$1');
    expect(params).toEqual([['vip'], '2']);
  });

  it('never puts a value or an attribute key into the SQL text', () => {
    const hostile = "x'); DROP TABLE customers; --";
    const { sql, params } = compileSegmentFilter({
      any: [
        { field: 'name', op: 'contains', value: hostile },
        { field: 'attr.plan_name', op: 'eq', value: hostile },
        { field: 'email', op: 'domain', value: hostile },
        { field: 'tag', op: 'in', value: [hostile] },
      ],
    });
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain('plan_name');
    expect(params).toContain('plan_name');
    expect(params).toContain(hostile);
    expect(params).toContainEqual([hostile.toLowerCase()]);
  });

  it('treats an empty all as everyone and an empty any as no one', () => {
    expect(compileSegmentFilter({ all: [] }).sql).toMatch(/AND \(true\)$/);
    expect(compileSegmentFilter({ any: [] }).sql).toMatch(/AND \(false\)$/);
  });

  it('names where a bad filter goes wrong', () => {
    expect(refusal({ all: [{ field: 'name', op: 'eq', value: 'a' }, { field: 'shoeSize', op: 'eq', value: 42 }] }).details).toEqual({ path: 'filter.all.1.field' });
    expect(refusal({ field: 'orders.count', op: 'contains', value: 1 }).details).toEqual({ path: 'filter.op' });
    expect(refusal({ field: 'orders.count', op: 'gt', value: 'many' }).details).toEqual({ path: 'filter.value' });
    expect(refusal({ not: { any: [{ field: 'tag', op: 'in', value: ['ok', 7] }] } }).details).toEqual({ path: 'filter.not.any.0.value.1' });
    expect(refusal({ field: 'activity', op: 'within', value: { kind: 'message.received', days: 0 } }).details).toEqual({ path: 'filter.value.days' });
    expect(refusal({ field: 'activity', op: 'within', value: { kind: 'message.teleported', days: 3 } }).details).toEqual({ path: 'filter.value.kind' });
    expect(refusal({ field: 'activity', op: 'within', value: { kind: 'order.placed', days: 3, intent: 'billing' } }).details).toEqual({ path: 'filter.value.intent' });
    expect(refusal({ field: 'intent', op: 'eq', value: 'world_peace' }).details).toEqual({ path: 'filter.value' });
    expect(refusal({ field: 'rfm.segment', op: 'in', value: ['Champions', 'Kings'] }).details).toEqual({ path: 'filter.value.1' });
    expect(refusal({ field: 'createdAt', op: 'before', value: '2024-02-30' }).details).toEqual({ path: 'filter.value' });
    expect(refusal({ field: 'email', op: 'eq', value: 'not an email' }).details).toEqual({ path: 'filter.value' });
    expect(refusal({ all: [], any: [] }).details).toEqual({ path: 'filter' });
    expect(refusal({ field: 'name', op: 'eq', value: 'a', extra: 1 }).details).toEqual({ path: 'filter.extra' });
    expect(refusal([]).details).toEqual({ path: 'filter' });
    expect(refusal({ field: 'attr.', op: 'eq', value: 'a' }).details).toEqual({ path: 'filter.field' });
    expect(refusal({ field: "attr.plan' OR '1'='1", op: 'eq', value: 'a' }).details).toEqual({ path: 'filter.field' });
    expect(refusal({ field: '__proto__', op: 'eq', value: 'a' }).details).toEqual({ path: 'filter.field' });
  });

  it('refuses filters too deep or too large to be a mistake-free query', () => {
    let deep: SegmentFilter = { field: 'name', op: 'exists' };
    for (let i = 0; i < 12; i++) deep = { not: deep };
    expect(refusal(deep).message).toContain('nest');
    const wide = { any: Array.from({ length: 201 }, () => ({ field: 'name', op: 'exists' })) };
    expect(refusal(wide).message).toContain('200 conditions');
  });
});
