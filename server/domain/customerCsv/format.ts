/**
 * The CSV format of customers, shared by import and export so that an export imports back unchanged:
 * the columns, and how one value is written in one cell.
 */

export const FIELD_COLUMNS = ['name', 'email', 'phone', 'external_id', 'tags'] as const;
export type FieldColumn = (typeof FIELD_COLUMNS)[number];

/** `attr.<key>`: one column per customer attribute. */
export const ATTRIBUTE_PREFIX = 'attr.';

/** Tags share one cell; ";" because "," would force quoting in every spreadsheet. */
export const TAG_SEPARATOR = ';';

// Spreadsheets run a cell starting with one of these as a formula (CSV injection).
const FORMULA = /^'*[=+\-@]/;

/** The cell as written out: a cell a spreadsheet would run as a formula gets a leading "'". */
export function escapeFormula(cell: string): string {
  return FORMULA.test(cell) ? `'${cell}` : cell;
}

/**
 * The cell as meant: undoes escapeFormula, so "'+8613800138000" from an export (or typed in
 * Excel to keep the "+") is the phone number again.
 */
export function unescapeFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA.test(cell) ? cell.slice(1) : cell;
}

// Where JSON literals may start: number, true/false, object, array, or a string in quotes.
const JSON_START = /^\s*[-\dtf{["]/;

/**
 * An attribute's value from its cell: a JSON number, boolean, object or array literal is that
 * value, a JSON string literal ("...") is that string, anything else is the text as written.
 * An empty cell sets nothing (undefined).
 */
export function readAttributeCell(cell: string): unknown {
  if (cell.trim() === '') return undefined;
  if (!JSON_START.test(cell)) return cell;
  try {
    return JSON.parse(cell) as unknown;
  } catch {
    return cell;
  }
}

/** The cell for an attribute's value; text that would read back as something else is written as a JSON string. */
export function writeAttributeCell(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return readAttributeCell(value) === value ? value : JSON.stringify(value);
}

/** One CSV record (RFC 4180): fields with a quote, comma or line break are quoted, quotes doubled; CRLF ends it. */
export function csvRecord(cells: readonly string[]): string {
  return `${cells.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(',')}\r\n`;
}
