import { z } from 'zod';
import type { BusinessHours } from './domain/businessHours';

/** Conversation priorities, most pressing first: each has its own SLA policy. */
export const slaPriorities = ['urgent', 'high', 'normal', 'low'] as const;
export type SlaPriority = (typeof slaPriorities)[number];

export type SlaPolicy = Readonly<{ firstResponseMs: number; resolutionMs: number; businessHours: boolean }>;

export type SlaSettings = Readonly<{
  policies: Readonly<Record<SlaPriority, SlaPolicy>>;
  /** Unset: every hour counts, also for policies that ask for business hours. */
  businessHours: BusinessHours | undefined;
  /** The fraction of a target's time after which its warning fires. */
  warningAt: number;
}>;

const HOUR_MS = 3_600_000;

export const DEFAULT_SLA_POLICIES: SlaSettings['policies'] = {
  urgent: { firstResponseMs: HOUR_MS / 4, resolutionMs: 4 * HOUR_MS, businessHours: false },
  high: { firstResponseMs: HOUR_MS, resolutionMs: 8 * HOUR_MS, businessHours: false },
  normal: { firstResponseMs: 4 * HOUR_MS, resolutionMs: 24 * HOUR_MS, businessHours: false },
  low: { firstResponseMs: 8 * HOUR_MS, resolutionMs: 72 * HOUR_MS, businessHours: false },
};

/** What the SLA runs on when nothing is configured. */
export const DEFAULT_SLA_SETTINGS: SlaSettings = { policies: DEFAULT_SLA_POLICIES, businessHours: undefined, warningAt: 0.8 };

const UNIT_MS = { s: 1000, m: 60_000, h: HOUR_MS, d: 24 * HOUR_MS } as const;
const DURATION = /^(\d+(?:\.\d+)?)(s|m|h|d)$/;
const durationMessage = 'must be seconds (a number) or a duration such as "90s", "15m", "4h", "2d"';

/** Seconds as a number, or a string such as "15m"; in milliseconds. */
const duration = z.union([z.number(), z.string()], { error: durationMessage }).transform((value, ctx) => {
  const match = typeof value === 'string' ? DURATION.exec(value.trim()) : null;
  const ms = typeof value === 'number' ? value * 1000 : match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : NaN;
  if (!(ms > 0) || !Number.isFinite(ms)) {
    ctx.issues.push({ code: 'custom', message: durationMessage, input: value });
    return z.NEVER;
  }
  return Math.round(ms);
});

/** An environment variable holding JSON, checked against `schema`. */
const jsonVariable = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.issues.push({ code: 'custom', message: 'must be JSON', input: text });
        return z.NEVER;
      }
    })
    .pipe(schema);

const policyOverride = z.strictObject({ firstResponse: duration.optional(), resolution: duration.optional(), businessHours: z.boolean().optional() });

/** SLA_POLICIES: per priority, the targets that differ from the defaults. */
export const slaPoliciesVariable = jsonVariable(z.strictObject(Object.fromEntries(slaPriorities.map((priority) => [priority, policyOverride.optional()])))).transform(
  (overrides) =>
    Object.fromEntries(
      slaPriorities.map((priority) => {
        const base = DEFAULT_SLA_POLICIES[priority];
        const given = (overrides as Partial<Record<SlaPriority, z.infer<typeof policyOverride>>>)[priority] ?? {};
        return [
          priority,
          Object.freeze({
            firstResponseMs: given.firstResponse ?? base.firstResponseMs,
            resolutionMs: given.resolution ?? base.resolutionMs,
            businessHours: given.businessHours ?? base.businessHours,
          }),
        ];
      }),
    ) as Record<SlaPriority, SlaPolicy>,
);

const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time HH:MM from 00:00 to 24:00')
  .transform((time) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));

const windows = z
  .array(z.tuple([clock, clock]))
  .refine((list) => list.every(([start, end]) => start < end), 'each window ends after it starts (split one across midnight into two days)')
  .transform((list) => [...list].sort((a, b) => a[0] - b[0]))
  .refine((list) => list.every((window, index) => index === 0 || list[index - 1]![1] <= window[0]), 'windows of one day must not overlap');

const timezone = z.string().refine((name) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Berlin');

const holiday = z.iso.date({ error: 'must be a date YYYY-MM-DD' });

/** SLA_BUSINESS_HOURS: {timezone, week: {mon: [["09:00","17:00"]], …}, holidays: ["2026-12-25"]}. */
export const businessHoursVariable = jsonVariable(
  z.strictObject({
    timezone,
    week: z.strictObject(Object.fromEntries(weekdays.map((day) => [day, windows.optional()]))),
    holidays: z.array(holiday).default([]),
  }),
).transform((hours, ctx): BusinessHours => {
  const week = weekdays.map((day) => (hours.week as Partial<Record<(typeof weekdays)[number], [number, number][]>>)[day] ?? []);
  if (!week.some((day) => day.length > 0)) {
    ctx.issues.push({ code: 'custom', message: 'must have at least one open window', input: hours, path: ['week'] });
    return z.NEVER;
  }
  return Object.freeze({ timezone: hours.timezone, week, holidays: hours.holidays });
});

/** SLA_WARNING_AT: the warning fires when this fraction of a target's time has passed. */
export const warningAtVariable = z.coerce.number().gt(0).lt(1);
