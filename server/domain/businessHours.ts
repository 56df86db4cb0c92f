/** When the support team works: SLA clocks that count business time only run inside these hours. */
export type BusinessHours = Readonly<{
  /** An IANA time zone such as Europe/Berlin; the weekly hours and holidays are its local times. */
  timezone: string;
  /** Open windows per weekday (index 0 = Sunday), in minutes after local midnight: sorted, not overlapping. */
  week: readonly (readonly (readonly [start: number, end: number])[])[];
  /** Whole local days off, as YYYY-MM-DD. */
  holidays: readonly string[];
}>;

type LocalDate = { year: number; month: number; day: number };

const MINUTE_MS = 60_000;

/**
 * The moment `durationMs` of business time after `start`. Windows are local wall-clock times,
 * so a 09:00-17:00 day stays eight hours long across a daylight-saving change.
 */
export function addBusinessTime(start: Date, durationMs: number, hours: BusinessHours): Date {
  if (!hours.week.some((windows) => windows.length > 0)) throw new RangeError('business hours without any open window');
  let remaining = durationMs;
  let date = localDate(start, hours.timezone);
  for (;;) {
    if (!hours.holidays.includes(isoDate(date))) {
      for (const [from, to] of hours.week[weekday(date)]!) {
        const opens = Math.max(localTime(date, from, hours.timezone), start.getTime());
        const closes = localTime(date, to, hours.timezone);
        if (opens >= closes) continue;
        if (remaining <= closes - opens) return new Date(opens + remaining);
        remaining -= closes - opens;
      }
    }
    date = nextDay(date);
  }
}

/** Whether `at` falls inside an open window (not on a holiday), in the hours' own time zone. */
export function isWithinBusinessHours(at: Date, hours: BusinessHours): boolean {
  const date = localDate(at, hours.timezone);
  if (hours.holidays.includes(isoDate(date))) return false;
  const instant = at.getTime();
  return hours.week[weekday(date)]!.some(([from, to]) => localTime(date, from, hours.timezone) <= instant && instant < localTime(date, to, hours.timezone));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The wall-clock reading in `timezone` at `instant`, as if that reading were UTC. */
function wallClock(instant: number, timezone: string): number {
  const parts = Object.fromEntries(formatterFor(timezone).formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** How far `timezone` is ahead of UTC at `instant`, in ms (whole seconds: offsets never have milliseconds). */
const offsetAt = (instant: number, timezone: string) => wallClock(instant - (instant % 1000), timezone) - (instant - (instant % 1000));

/**
 * The instant the local clock in `timezone` reads `minutes` after midnight of `date`. The offset
 * is guessed from the wall time read as UTC, then corrected once: that settles every time that
 * exists; a time skipped by a spring-forward change maps to the same distance after the change.
 */
function localTime(date: LocalDate, minutes: number, timezone: string): number {
  return instantOfWallClock(Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE_MS, timezone);
}

/** The instant the clock in `timezone` reads `wall` (a local reading written as if it were UTC). */
export function instantOfWallClock(wall: number, timezone: string): number {
  return wall - offsetAt(wall - offsetAt(wall, timezone), timezone);
}

function localDate(instant: Date, timezone: string): LocalDate {
  const wall = new Date(wallClock(instant.getTime(), timezone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

function nextDay({ year, month, day }: LocalDate): LocalDate {
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

const weekday = ({ year, month, day }: LocalDate) => new Date(Date.UTC(year, month - 1, day)).getUTCDay();

const isoDate = ({ year, month, day }: LocalDate) =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
