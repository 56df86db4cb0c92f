import { useState } from 'preact/hooks';

export type ScheduleRequest = { at?: string; timezone: string };

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Every IANA zone the browser knows, with UTC and the browser's own always among them. */
function zones(): string[] {
  let known: string[] = [];
  try {
    known = Intl.supportedValuesOf('timeZone');
  } catch {
    known = [];
  }
  return [...new Set(['UTC', browserZone, ...known])].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
}
let zoneList: string[] | null = null;

/** `2026-05-01T09:00` for a date-time input: the instant's wall clock in `timeZone`. */
function wallClock(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/**
 * When to send: now, or at a wall-clock time in a time zone (the browser's by default; the hub reads
 * the time in that zone). `current` is the schedule of an already scheduled campaign, to move it.
 */
export function ScheduleControl({
  current,
  recipients,
  busy,
  problem,
  onSchedule,
}: {
  current: { at: string; timezone: string | null } | null;
  recipients: number | null;
  busy: boolean;
  problem: string | null;
  onSchedule: (request: ScheduleRequest) => void;
}) {
  const [when, setWhen] = useState<'now' | 'later'>(current ? 'later' : 'now');
  const [timezone, setTimezone] = useState(current?.timezone ?? browserZone);
  const [at, setAt] = useState(current ? wallClock(current.at, current.timezone ?? 'UTC') : '');
  const [missing, setMissing] = useState(false);
  zoneList ??= zones();

  const submit = () => {
    if (when === 'later' && !at) {
      setMissing(true);
      return;
    }
    setMissing(false);
    onSchedule(when === 'now' ? { timezone } : { at, timezone });
  };

  const shownProblem = missing ? 'Choose the date and time.' : problem;
  return (
    <fieldset class="set-fieldset cmp-schedule">
      <legend>{current ? 'Move the schedule' : 'Send'}</legend>
      <div class="cmp-when" role="radiogroup" aria-label="When">
        <label class="set-check">
          <input type="radio" name="campaign-when" checked={when === 'now'} onChange={() => setWhen('now')} />
          Now
        </label>
        <label class="set-check">
          <input type="radio" name="campaign-when" checked={when === 'later'} onChange={() => setWhen('later')} />
          At a time
        </label>
      </div>
      {when === 'later' && (
        <div class="set-grid2">
          <div class={`set-field${shownProblem ? ' invalid' : ''}`}>
            <label for="campaign-at">Date and time</label>
            <input id="campaign-at" data-testid="campaign-at" type="datetime-local" value={at} aria-invalid={Boolean(shownProblem)} onInput={(e) => setAt(e.currentTarget.value)} />
          </div>
          <div class="set-field">
            <label for="campaign-timezone">Time zone</label>
            <select id="campaign-timezone" data-testid="campaign-timezone" value={timezone} onChange={(e) => setTimezone(e.currentTarget.value)}>
              {zoneList.map((zone) => (
                <option value={zone}>{zone.replace(/_/g, ' ')}</option>
              ))}
            </select>
          </div>
        </div>
      )}
      {shownProblem && (
        <p class="set-problem" role="alert">
          {shownProblem}
        </p>
      )}
      <div class="set-actions">
        <button type="button" class="primary" data-testid="campaign-schedule" disabled={busy} onClick={submit}>
          {busy ? 'Scheduling…' : when === 'now' ? 'Send now' : current ? 'Move' : 'Schedule'}
        </button>
        {recipients !== null && (
          <span class="muted">
            The segment matches {recipients.toLocaleString()} {recipients === 1 ? 'customer' : 'customers'} now; suppressed and email-less ones are skipped.
          </span>
        )}
      </div>
    </fieldset>
  );
}
