import { CsvError, parse } from 'csv-parse/sync';
import type { DomainSettings } from '../context';
import { type CustomerInput, customerInputSchema, type Identity, mergeAttributes, normalizeIdentity } from '../customers';
import { type ErrorCode, HubError } from '../errors';
import { ATTRIBUTE_PREFIX, FIELD_COLUMNS, type FieldColumn, readAttributeCell, TAG_SEPARATOR, unescapeFormula } from './format';

export const MAX_IMPORT_ROWS = 100_000;

/** What is wrong with one data row: `row` counts data rows from 1, `line` is where it starts in the file. */
export type RowProblem = {
  row: number;
  line: number;
  column?: string;
  code: ErrorCode | 'cell_count_mismatch' | 'identity_missing' | 'identity_repeated';
  message: string;
};

/** One data row as a customer input, with what is already known to be wrong with it. */
export type CsvRow = { row: number; line: number; input: CustomerInput; problems: RowProblem[] };

type FileProblem = { line?: number; column?: string; message: string };
type Column = { field: FieldColumn } | { attribute: string };
type Problem = Omit<RowProblem, 'row' | 'line'>;

const IDENTITY_COLUMNS = [
  ['external_id', 'external', 'externalId'],
  ['email', 'email', 'email'],
  ['phone', 'phone', 'phone'],
] as const;

/**
 * The data rows of a customers CSV. A file that cannot be read as one (quoting, header, too many
 * rows) is `csv_invalid` with `details.problems`; problems of single rows come back with the rows.
 */
export function readCustomerRows(text: string, settings: DomainSettings): CsvRow[] {
  const bytes = Buffer.from(text, 'utf8');
  const records = parseRecords(bytes);
  const [header, ...data] = records;
  if (!header) fileInvalid([{ line: 1, message: 'The file is empty; its first line must name the columns' }]);
  if (data.length > MAX_IMPORT_ROWS) {
    fileInvalid([{ message: `The file has ${data.length} rows; at most ${MAX_IMPORT_ROWS} are imported at once` }]);
  }
  const columns = readHeader(header.cells, settings);
  const owners = new Map<string, number>();
  return data.map((record, index) => {
    const row = index + 1;
    const { input, problems, identities } = readRow(columns, record.cells, settings);
    for (const { column, identity } of identities) {
      const key = `${identity.kind}:${identity.value}`;
      const first = owners.get(key);
      if (first === undefined) owners.set(key, row);
      else problems.push({ column, code: 'identity_repeated', message: `${identity.value} is also on row ${first}` });
    }
    return { row, line: record.line, input, problems: problems.map((problem) => ({ row, line: record.line, ...problem })) };
  });
}

function fileInvalid(problems: FileProblem[]): never {
  throw new HubError('csv_invalid', problems.length === 1 ? problems[0]!.message : `The file has ${problems.length} problems`, { problems });
}

/** Records with the line each starts on; lines of nothing but empty cells are skipped. */
function parseRecords(bytes: Buffer): { cells: string[]; line: number }[] {
  let parsed: { record: string[]; info: { bytes: number } }[];
  try {
    // With `info`, each record comes with where it ends; csv-parse's types do not say so.
    parsed = parse(bytes, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as typeof parsed;
  } catch (error) {
    if (error instanceof CsvError) fileInvalid([{ line: typeof error.lines === 'number' ? error.lines : undefined, message: error.message }]);
    throw error;
  }
  const records: { cells: string[]; line: number }[] = [];
  let start = 0;
  let line = 1;
  for (const { record, info } of parsed) {
    // Blank lines before the record were skipped by the parser but still count as lines.
    let first = start;
    while (bytes[first] === 0x0d || bytes[first] === 0x0a) first++;
    line += lineBreaks(bytes, start, first);
    if (record.some((cell) => cell.trim() !== '')) records.push({ cells: record, line });
    line += lineBreaks(bytes, first, info.bytes);
    start = info.bytes;
  }
  return records;
}

/** How many line breaks (CRLF, LF or CR) lie in bytes[from, to). */
function lineBreaks(bytes: Buffer, from: number, to: number): number {
  let count = 0;
  for (let index = from; index < to; index++) {
    if (bytes[index] === 0x0a || (bytes[index] === 0x0d && bytes[index + 1] !== 0x0a)) count++;
  }
  return count;
}

function readHeader(cells: readonly string[], settings: DomainSettings): Column[] {
  const problems: FileProblem[] = [];
  const columns: Column[] = [];
  const seen = new Set<string>();
  cells.forEach((cell, index) => {
    const label = cell.trim();
    const column = toColumn(label, settings);
    if (typeof column === 'string') {
      problems.push({ line: 1, column: label, message: column });
      return;
    }
    const key = nameOf(column);
    if (seen.has(key)) problems.push({ line: 1, column: label, message: `Column ${index + 1}: ${key} is given twice` });
    seen.add(key);
    columns.push(column);
  });
  if (!['name', 'email', 'phone', 'external_id'].some((field) => seen.has(field))) {
    problems.push({ line: 1, message: 'The header names none of the columns name, email, phone, external_id' });
  }
  if (problems.length > 0) fileInvalid(problems);
  return columns;
}

const nameOf = (column: Column) => ('field' in column ? column.field : `${ATTRIBUTE_PREFIX}${column.attribute}`);

/** The column a header cell names, or why it names none. */
function toColumn(label: string, settings: DomainSettings): Column | string {
  const lower = label.toLowerCase();
  const field = FIELD_COLUMNS.find((name) => name === lower);
  if (field) return { field };
  if (lower.startsWith(ATTRIBUTE_PREFIX)) {
    const attribute = label.slice(ATTRIBUTE_PREFIX.length).trim();
    try {
      // The same rule attributes are saved under, applied once to the header instead of to every row.
      mergeAttributes({}, { [attribute]: true }, settings);
      return { attribute };
    } catch (error) {
      if (error instanceof HubError) return `Column ${JSON.stringify(label)}: ${error.message}`;
      throw error;
    }
  }
  if (label === '') return 'A column has no name';
  return `Unknown column ${JSON.stringify(label)}; the columns are ${FIELD_COLUMNS.join(', ')} and ${ATTRIBUTE_PREFIX}<key>`;
}

function readRow(
  columns: readonly Column[],
  cells: readonly string[],
  settings: DomainSettings,
): { input: CustomerInput; problems: Problem[]; identities: { column: string; identity: Identity }[] } {
  if (cells.length !== columns.length) {
    const problem: Problem = { code: 'cell_count_mismatch', message: `The row has ${cells.length} cells; the header has ${columns.length}` };
    return { input: {}, problems: [problem], identities: [] };
  }
  // PostgreSQL text cannot hold U+0000: refused here rather than failing the whole import in the database.
  const withNul = columns.filter((_, index) => cells[index]!.includes('\u0000'));
  if (withNul.length > 0) {
    const problems = withNul.map((column): Problem => ({ column: nameOf(column), code: 'validation_failed', message: 'The cell holds a NUL character' }));
    return { input: {}, problems, identities: [] };
  }
  const raw = toInput(columns, cells);
  const parsed = customerInputSchema.safeParse(raw);
  const problems: Problem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ column: columnOf(issue.path), code: 'validation_failed', message: issue.message }));
  const input = parsed.success ? parsed.data : raw;
  const identities: { column: string; identity: Identity }[] = [];
  for (const [column, kind, field] of IDENTITY_COLUMNS) {
    const value = input[field];
    if (value === undefined) continue;
    try {
      identities.push({ column, identity: normalizeIdentity({ kind, value }, settings.defaultPhoneRegion) });
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      problems.push({ column, code: error.code, message: error.message });
    }
  }
  if (IDENTITY_COLUMNS.every(([, , field]) => input[field] === undefined)) {
    problems.push({ code: 'identity_missing', message: 'A row needs an email, phone or external_id' });
  }
  return { input, problems, identities };
}

/** Empty cells say nothing: the customer keeps what they had. */
function toInput(columns: readonly Column[], cells: readonly string[]): CustomerInput {
  const input: CustomerInput = {};
  const attributes: Record<string, unknown> = {};
  columns.forEach((column, index) => {
    const cell = unescapeFormula(cells[index]!);
    if (cell.trim() === '') return;
    if ('attribute' in column) attributes[column.attribute] = readAttributeCell(cell);
    else if (column.field === 'name') input.name = cell;
    else if (column.field === 'email') input.email = cell;
    else if (column.field === 'phone') input.phone = cell;
    else if (column.field === 'external_id') input.externalId = cell;
    else input.tags = cell.split(TAG_SEPARATOR).map((tag) => tag.trim()).filter(Boolean);
  });
  if (Object.keys(attributes).length > 0) input.attributes = attributes;
  return input;
}

function columnOf(path: readonly PropertyKey[]): string | undefined {
  const [field, key] = path;
  if (field === 'attributes' && key !== undefined) return `${ATTRIBUTE_PREFIX}${String(key)}`;
  if (field === 'externalId') return 'external_id';
  return field === undefined ? undefined : String(field);
}
