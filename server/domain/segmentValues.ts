import { HubError } from './errors';

/** Reading the values of segment conditions: each problem is `invalid_segment` at its path. */
export type Path = readonly (string | number)[];

const MAX_LIST = 1000;
const MAX_TEXT = 500;
const MAX_DAYS = 36_500;

export const fail = (path: Path, message: string): never => {
  throw new HubError('invalid_segment', message, { path: path.join('.') });
};

export function list(value: unknown, path: Path): unknown[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LIST) return fail(path, `Expected a list of 1 to ${MAX_LIST} values`);
  return value;
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function text(value: unknown, path: Path): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT) return fail(path, `Expected text of 1 to ${MAX_TEXT} characters`);
  return value;
}

export function textList(value: unknown, path: Path): string[] {
  return list(value, path).map((item, index) => text(item, [...path, index]));
}

/** Attribute values compare as their JSON text: 5 matches the number 5 and the text "5". */
export function scalarText(value: unknown, path: Path): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return text(value, path);
}

export function numberText(value: unknown, path: Path): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && /^-?\d{1,15}(\.\d{1,6})?$/.test(value)) return value;
  return fail(path, 'Expected a number');
}

export function days(value: unknown, path: Path): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_DAYS) return fail(path, `Expected a whole number of days, 1 to ${MAX_DAYS}`);
  return value as number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function dateValue(value: unknown, path: Path): string {
  const date = typeof value === 'string' && ISO_DATE.test(value) ? new Date(value) : undefined;
  // Date.parse rolls 2024-02-30 over to March; a day that does not exist is a mistake to report.
  const exists = date && !Number.isNaN(date.getTime()) && (String(value).length > 10 || date.toISOString().startsWith(String(value)));
  if (!date || !exists) return fail(path, 'Expected an ISO 8601 date or time, e.g. 2024-05-01 or 2024-05-01T09:00:00Z');
  return date.toISOString();
}
