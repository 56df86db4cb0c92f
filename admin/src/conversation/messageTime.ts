const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
const relativeDay = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "14:05", shown beside each message. */
export const timeOfDay = (iso: string) => clock.format(new Date(iso));

/** The whole date and time, for the tooltip. */
export const fullTime = (iso: string) => full.format(new Date(iso));

const startOfDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();

/** The key that says two messages were written on the same local day. */
export const dayKey = (iso: string) => startOfDay(new Date(iso));

/** "today", "yesterday" or "Mon, 3 Mar 2025": the divider between days. */
export function dayLabel(iso: string, now = new Date()): string {
  const days = Math.round((startOfDay(new Date(iso)) - startOfDay(now)) / 86_400_000);
  return days === 0 || days === -1 ? relativeDay.format(days, 'day') : day.format(new Date(iso));
}
