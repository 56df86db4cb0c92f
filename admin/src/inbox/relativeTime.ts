import { useEffect, useState } from 'preact/hooks';

const relative = new Intl.RelativeTimeFormat(undefined, { style: 'narrow', numeric: 'always' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "5m ago", "in 12m", "3d ago": the largest whole unit, "now" under a minute. */
export function relativeTime(iso: string, now: number): string {
  const delta = Date.parse(iso) - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(delta) >= size) return relative.format(Math.trunc(delta / size), unit);
  }
  return 'now';
}

/** The exact time, for titles and screen readers. */
export const fullTime = (iso: string) => full.format(new Date(iso));

/** The current time, ticking every `everyMs` so relative times stay true. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
