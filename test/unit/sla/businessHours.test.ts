import { addBusinessTime, type BusinessHours } from '../../../server/domain/businessHours';

const HOUR = 3_600_000;
const nineToFive = [[9 * 60, 17 * 60]] as const;
const weekdays = (windows: readonly (readonly [number, number])[]) => [[], windows, windows, windows, windows, windows, []];

const berlin: BusinessHours = { timezone: 'Europe/Berlin', week: weekdays(nineToFive), holidays: ['2026-12-25'] };
const newYork: BusinessHours = { timezone: 'America/New_York', week: weekdays(nineToFive), holidays: [] };

const at = (iso: string) => new Date(iso);
const add = (start: string, hours: number, businessHours: BusinessHours) => addBusinessTime(at(start), hours * HOUR, businessHours).toISOString();

describe('addBusinessTime', () => {
  it('counts within one working day', () => {
    // Monday 2 March 2026, 10:00 in Berlin (CET, UTC+1).
    expect(add('2026-03-02T09:00:00Z', 2, berlin)).toBe('2026-03-02T11:00:00.000Z');
  });

  it('ends at closing time when the time runs out exactly then, not at the next opening', () => {
    expect(add('2026-03-02T15:00:00Z', 1, berlin)).toBe('2026-03-02T16:00:00.000Z');
  });

  it('carries what is left over the night into the next morning', () => {
    // Monday 16:00 + 2 h = Tuesday 10:00.
    expect(add('2026-03-02T15:00:00Z', 2, berlin)).toBe('2026-03-03T09:00:00.000Z');
  });

  it('skips the weekend', () => {
    // Friday 6 March 16:00 + 2 h = Monday 9 March 10:00.
    expect(add('2026-03-06T15:00:00Z', 2, berlin)).toBe('2026-03-09T09:00:00.000Z');
  });

  it('skips holidays as whole local days', () => {
    // Thursday 24 December 16:00 + 2 h: Friday the 25th is a holiday, then the weekend: Monday 28th, 10:00.
    expect(add('2026-12-24T15:00:00Z', 2, berlin)).toBe('2026-12-28T09:00:00.000Z');
  });

  it('starts counting at the next opening when it starts outside the hours', () => {
    // Saturday 10:00 + 1 h = Monday 10:00; Monday 07:00 + 30 min = Monday 09:30.
    expect(add('2026-03-07T09:00:00Z', 1, berlin)).toBe('2026-03-09T09:00:00.000Z');
    expect(add('2026-03-09T06:00:00Z', 0.5, berlin)).toBe('2026-03-09T08:30:00.000Z');
    // Monday 20:00 + 1 h = Tuesday 10:00.
    expect(add('2026-03-09T19:00:00Z', 1, berlin)).toBe('2026-03-10T09:00:00.000Z');
  });

  it('keeps local opening hours across a spring-forward change (Europe, 29 March 2026)', () => {
    // Friday 27 March 16:00 CET (UTC+1) + 2 h = Monday 30 March 10:00 CEST (UTC+2), i.e. 08:00 UTC, not 09:00.
    expect(add('2026-03-27T15:00:00Z', 2, berlin)).toBe('2026-03-30T08:00:00.000Z');
  });

  it('keeps local opening hours across a fall-back change (Europe, 25 October 2026)', () => {
    // Friday 23 October 16:00 CEST + 2 h = Monday 26 October 10:00 CET, i.e. 09:00 UTC.
    expect(add('2026-10-23T14:00:00Z', 2, berlin)).toBe('2026-10-26T09:00:00.000Z');
  });

  it('counts a window that spans the change by the real hours in it', () => {
    const sundayNights: BusinessHours = { timezone: 'Europe/Berlin', week: [[[60, 4 * 60]], [], [], [], [], [], []], holidays: [] };
    // 29 March 01:00 CET to 04:00 CEST is two real hours; the half hour left falls on 5 April from 01:00 CEST.
    expect(add('2026-03-28T12:00:00Z', 2.5, sundayNights)).toBe('2026-04-04T23:30:00.000Z');
  });

  it('follows the time zone it is given (New York changes on 8 March 2026)', () => {
    // Friday 6 March 16:00 EST (UTC-5) + 2 h = Monday 9 March 10:00 EDT (UTC-4).
    expect(add('2026-03-06T21:00:00Z', 2, newYork)).toBe('2026-03-09T14:00:00.000Z');
  });

  it('counts real elapsed time through the skipped hour when every hour is open', () => {
    const always: BusinessHours = { timezone: 'Europe/Berlin', week: Array.from({ length: 7 }, () => [[0, 24 * 60] as const]), holidays: [] };
    // Saturday 28 March 12:00 CET + 24 h spans the change: 24 real hours later.
    expect(add('2026-03-28T11:00:00Z', 24, always)).toBe('2026-03-29T11:00:00.000Z');
    expect(add('2026-10-24T10:00:00Z', 24, always)).toBe('2026-10-25T10:00:00.000Z');
  });

  it('fills several windows of one day in order', () => {
    const withLunch: BusinessHours = {
      timezone: 'Asia/Shanghai',
      week: weekdays([
        [9 * 60, 12 * 60],
        [13 * 60, 18 * 60],
      ]),
      holidays: [],
    };
    // Monday 2 March 11:00 in Shanghai (UTC+8) + 2 h: one hour before lunch, one after = 14:00.
    expect(add('2026-03-02T03:00:00Z', 2, withLunch)).toBe('2026-03-02T06:00:00.000Z');
    // Starting during lunch: 12:30 + 1 h = 14:00.
    expect(add('2026-03-02T04:30:00Z', 1, withLunch)).toBe('2026-03-02T06:00:00.000Z');
    // More than a day's eight hours: Monday 09:00 + 10 h = 8 h on Monday, then Tuesday 09:00-11:00.
    expect(add('2026-03-02T01:00:00Z', 10, withLunch)).toBe('2026-03-03T03:00:00.000Z');
  });

  it('returns the start itself for no time inside the hours', () => {
    expect(add('2026-03-02T10:15:00Z', 0, berlin)).toBe('2026-03-02T10:15:00.000Z');
  });

  it('refuses hours without any open window, which would never end', () => {
    expect(() => addBusinessTime(at('2026-03-02T10:00:00Z'), HOUR, { timezone: 'UTC', week: weekdays([]), holidays: [] })).toThrow(RangeError);
  });
});
