import { type BusinessHours, isWithinBusinessHours } from '../../../server/domain/businessHours';

const nineToFive = [[9 * 60, 17 * 60]] as const;
const berlin: BusinessHours = { timezone: 'Europe/Berlin', week: [[], nineToFive, nineToFive, nineToFive, nineToFive, nineToFive, []], holidays: ['2026-12-24'] };
const within = (iso: string) => isWithinBusinessHours(new Date(iso), berlin);

describe('isWithinBusinessHours', () => {
  it('reads the windows in local time, through a daylight-saving change', () => {
    // Winter: Berlin is UTC+1; summer: UTC+2.
    expect([within('2026-01-13T07:59:59Z'), within('2026-01-13T08:00:00Z'), within('2026-01-13T15:59:59Z'), within('2026-01-13T16:00:00Z')]).toEqual([false, true, true, false]);
    expect([within('2026-07-14T06:59:59Z'), within('2026-07-14T07:00:00Z'), within('2026-07-14T15:00:00Z')]).toEqual([false, true, false]);
  });

  it('is closed on days without windows and on holidays', () => {
    expect(within('2026-01-17T10:00:00Z')).toBe(false);
    expect(within('2026-12-24T10:00:00Z')).toBe(false);
    expect(within('2026-12-23T10:00:00Z')).toBe(true);
  });
});
