import { csvRecord, escapeFormula, readAttributeCell, unescapeFormula, writeAttributeCell } from '../../../server/domain/customerCsv/format';

describe('attribute cells', () => {
  it.each([
    ['42', 42],
    ['-1.5e3', -1500],
    ['true', true],
    ['false', false],
    ['{"plan":"pro"}', { plan: 'pro' }],
    ['[1,"a"]', [1, 'a']],
    ['"42"', '42'],
  ])('reads the JSON literal %s as its value', (cell, value) => {
    expect(readAttributeCell(cell)).toEqual(value);
  });

  it.each(['gold', '007', '1.', 'null', 'true story', '{not json', '+8613800138000', '2024-05-01'])('keeps %s as text', (cell) => {
    expect(readAttributeCell(cell)).toBe(cell);
  });

  it('reads an empty or blank cell as no value', () => {
    expect(readAttributeCell('')).toBeUndefined();
    expect(readAttributeCell('   ')).toBeUndefined();
  });

  it.each([['gold'], ['42'], ['true'], ['"quoted"'], [''], [' 7 '], [42], [false], [{ a: [1, 2] }], [['x']], ['[1]']])(
    'writes %j so that it reads back the same',
    (value) => {
      expect(readAttributeCell(unescapeFormula(escapeFormula(writeAttributeCell(value))))).toEqual(value);
    },
  );
});

describe('formula escaping', () => {
  it.each([
    ['=HYPERLINK("x")', `'=HYPERLINK("x")`],
    ['+8613800138000', "'+8613800138000"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ["'=1", "''=1"],
    ['plain', 'plain'],
    ["it's", "it's"],
  ])('writes %s as %s, and reads it back', (value, cell) => {
    expect(escapeFormula(value)).toBe(cell);
    expect(unescapeFormula(cell)).toBe(value);
  });
});

describe('csvRecord', () => {
  it('quotes what RFC 4180 says must be quoted and ends with CRLF', () => {
    expect(csvRecord(['a', 'b,c', 'say "hi"', 'two\nlines', ''])).toBe('a,"b,c","say ""hi""","two\nlines",\r\n');
  });
});
