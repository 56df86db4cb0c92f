import { MAX_IMPORT_ROWS, readCustomerRows } from '../../../server/domain/customerCsv/readRows';
import type { DomainSettings } from '../../../server/domain/context';
import { HubError } from '../../../server/domain/errors';
import { DEFAULT_SLA_SETTINGS } from '../../../server/slaConfig';

const settings: DomainSettings = { messageMaxLength: 10_000, attributeMaxBytes: 4096, defaultPhoneRegion: 'CN', sla: DEFAULT_SLA_SETTINGS };
const read = (text: string) => readCustomerRows(text, settings);

function fileProblems(text: string): { line?: number; column?: string; message: string }[] {
  try {
    read(text);
  } catch (error) {
    if (error instanceof HubError && error.code === 'csv_invalid') return (error.details as { problems: [] }).problems;
    throw error;
  }
  throw new Error('expected csv_invalid');
}

describe('readCustomerRows: the header', () => {
  it('takes the columns in any order and case, trimmed', () => {
    const [row] = read(' EMAIL ,Name,Attr.plan,External_ID,phone,TAGS\r\nada@example.com,Ada,pro,A-1,138 0013 8000,vip; beta\r\n');
    expect(row!.input).toEqual({
      email: 'ada@example.com',
      name: 'Ada',
      attributes: { plan: 'pro' },
      externalId: 'A-1',
      phone: '138 0013 8000',
      tags: ['vip', 'beta'],
    });
    expect(row!.problems).toEqual([]);
  });

  it.each([
    ['an empty file', '', /empty/],
    ['an unknown column', 'email,nickname\r\n', /Unknown column "nickname"/],
    ['a column without a name', 'email,,name\r\n', /no name/],
    ['a column given twice', 'email,Email\r\n', /email is given twice/],
    ['an attribute given twice', 'email,attr.plan,attr.plan\r\n', /attr\.plan is given twice/],
    ['an attribute name a customer cannot have', 'email,attr.my plan\r\n', /attr\.my plan/],
    ['no column that names a customer', 'tags,attr.plan\r\nvip,pro\r\n', /none of the columns/],
    ['a quote that never closes', 'email,name\r\nada@example.com,"Ada\r\n', /Quote Not Closed/],
    ['a stray quote inside a field', 'email,name\r\nada@example.com,A"da"x\r\n', /Quote/],
  ])('refuses %s as a whole', (_case, text, message) => {
    const problems = fileProblems(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(message);
  });

  it('lists every header problem at once', () => {
    expect(fileProblems('email,nickname,email,age\r\n').map((problem) => problem.column)).toEqual(['nickname', 'email', 'age']);
  });

  it(`refuses more than ${MAX_IMPORT_ROWS} rows`, () => {
    const text = `external_id\n${Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, index) => `c${index}`).join('\n')}`;
    expect(fileProblems(text)[0]!.message).toMatch(/at most 100000/);
  });
});

describe('readCustomerRows: rows', () => {
  it('numbers rows from 1 and tells the line each starts on, past blank lines and line breaks in quotes', () => {
    const text = 'name,email\r\n"Ada\r\nLovelace",ada@example.com\r\n\r\n,\r\nBob,bob@example.com\n"C\nD",cd@example.com';
    expect(read(text).map(({ row, line, input }) => [row, line, input.name])).toEqual([
      [1, 2, 'Ada\r\nLovelace'],
      [2, 6, 'Bob'],
      [3, 7, 'C\nD'],
    ]);
  });

  it('leaves out what empty cells would say', () => {
    const [row] = read('name,email,phone,tags,attr.plan\r\n  ,ada@example.com,,,\r\n');
    expect(row!.input).toEqual({ email: 'ada@example.com' });
  });

  it('reads attribute cells as JSON literals when they are one, else as text', () => {
    const [row] = read('email,attr.age,attr.vip,attr.zip,attr.meta,attr.note\r\nada@example.com,36,true,01234,"{""a"":1}",hello\r\n');
    expect(row!.input.attributes).toEqual({ age: 36, vip: true, zip: '01234', meta: { a: 1 }, note: 'hello' });
  });

  it('undoes the formula escape of an export', () => {
    const [row] = read("name,phone,attr.delta\r\n'=Ada,'+8613800138000,'-5\r\n");
    expect(row!.input).toEqual({ name: '=Ada', phone: '+8613800138000', attributes: { delta: -5 } });
  });

  it('reports each row problem with its row, line and column', () => {
    const text = [
      'name,email,phone',
      'Ok,ok@example.com,',
      'Bad mail,not-an-email,',
      'Bad phone,,12',
      'Nobody,,',
      'Ragged,ragged@example.com',
      'Again,OK@example.com,',
    ].join('\r\n');
    const problems = read(text).flatMap((row) => row.problems);
    expect(problems).toEqual([
      { row: 2, line: 3, column: 'email', code: 'invalid_email', message: expect.any(String) },
      { row: 3, line: 4, column: 'phone', code: 'invalid_phone', message: expect.any(String) },
      { row: 4, line: 5, code: 'identity_missing', message: expect.any(String) },
      { row: 5, line: 6, code: 'cell_count_mismatch', message: 'The row has 2 cells; the header has 3' },
      { row: 6, line: 7, column: 'email', code: 'identity_repeated', message: 'ok@example.com is also on row 1' },
    ]);
  });

  it('finds a phone repeated in another spelling', () => {
    const rows = read('phone\r\n+86 138 0013 8000\r\n13800138000\r\n');
    expect(rows[1]!.problems).toEqual([expect.objectContaining({ column: 'phone', code: 'identity_repeated' })]);
  });

  it('refuses values a customer cannot hold, naming the column', () => {
    const [row] = read(`email,name,tags\r\nada@example.com,${'x'.repeat(201)},${'t'.repeat(65)}\r\n`);
    expect(row!.problems.map((problem) => [problem.column, problem.code])).toEqual([
      ['name', 'validation_failed'],
      ['tags', 'validation_failed'],
    ]);
  });
});
