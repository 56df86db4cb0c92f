import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../server/config';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'hub-sla-config-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const load = (env: NodeJS.ProcessEnv) => loadConfig({ DATA_DIR: dataDir, SECRET_KEY: 's'.repeat(40), ...env });
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('SLA configuration', () => {
  it('defaults to urgent 15m/4h, high 1h/8h, normal 4h/24h, low 8h/72h around the clock, warning at 80%', () => {
    expect(load({}).sla).toEqual({
      policies: {
        urgent: { firstResponseMs: 15 * MINUTE, resolutionMs: 4 * HOUR, businessHours: false },
        high: { firstResponseMs: HOUR, resolutionMs: 8 * HOUR, businessHours: false },
        normal: { firstResponseMs: 4 * HOUR, resolutionMs: 24 * HOUR, businessHours: false },
        low: { firstResponseMs: 8 * HOUR, resolutionMs: 72 * HOUR, businessHours: false },
      },
      businessHours: undefined,
      warningAt: 0.8,
    });
    expect(load({}).metricsToken).toBeUndefined();
  });

  it('reads SLA_POLICIES as overrides of the defaults, in seconds or with units', () => {
    const { policies } = load({
      SLA_POLICIES: JSON.stringify({ normal: { firstResponse: 2, resolution: '4s' }, urgent: { firstResponse: '5m', businessHours: true }, low: { resolution: '2d' } }),
    }).sla;
    expect(policies.normal).toEqual({ firstResponseMs: 2000, resolutionMs: 4000, businessHours: false });
    expect(policies.urgent).toEqual({ firstResponseMs: 5 * MINUTE, resolutionMs: 4 * HOUR, businessHours: true });
    expect(policies.low).toEqual({ firstResponseMs: 8 * HOUR, resolutionMs: 48 * HOUR, businessHours: false });
    expect(policies.high).toEqual({ firstResponseMs: HOUR, resolutionMs: 8 * HOUR, businessHours: false });
  });

  it('reads SLA_BUSINESS_HOURS into sorted windows per weekday (Sunday first) and holidays', () => {
    const hours = load({
      SLA_BUSINESS_HOURS: JSON.stringify({
        timezone: 'Europe/Berlin',
        week: { mon: [['13:00', '17:30'], ['09:00', '12:00']], sat: [['10:00', '24:00']] },
        holidays: ['2026-12-25'],
      }),
      SLA_WARNING_AT: '0.5',
    }).sla;
    expect(hours.businessHours).toEqual({
      timezone: 'Europe/Berlin',
      week: [[], [[540, 720], [780, 1050]], [], [], [], [], [[600, 1440]]],
      holidays: ['2026-12-25'],
    });
    expect(hours.warningAt).toBe(0.5);
  });

  it.each([
    ['SLA_POLICIES', 'not json', /must be JSON/],
    ['SLA_POLICIES', '{"normal":{"firstResponse":"soon"}}', /^SLA_POLICIES: normal\.firstResponse: must be seconds/],
    ['SLA_POLICIES', '{"normal":{"resolution":-5}}', /normal\.resolution: must be seconds/],
    ['SLA_POLICIES', '{"normal":{"firstResponse":"0m"}}', /normal\.firstResponse/],
    ['SLA_POLICIES', '{"critical":{"firstResponse":60}}', /critical/],
    ['SLA_POLICIES', '{"high":{"firstResponse":60,"resolutoin":60}}', /resolutoin/],
    ['SLA_POLICIES', '{"high":{"businessHours":"yes"}}', /high\.businessHours/],
    ['SLA_BUSINESS_HOURS', '{"timezone":"Mars/Olympus","week":{"mon":[["09:00","17:00"]]}}', /timezone: must be an IANA time zone/],
    ['SLA_BUSINESS_HOURS', '{"timezone":"UTC","week":{"mon":[["17:00","09:00"]]}}', /week\.mon: each window ends after it starts/],
    ['SLA_BUSINESS_HOURS', '{"timezone":"UTC","week":{"mon":[["09:00","13:00"],["12:00","17:00"]]}}', /week\.mon: windows of one day must not overlap/],
    ['SLA_BUSINESS_HOURS', '{"timezone":"UTC","week":{"tue":[["09:00","25:00"]]}}', /week\.tue\.0\.1: must be a time HH:MM/],
    ['SLA_BUSINESS_HOURS', '{"timezone":"UTC","week":{"monday":[["09:00","17:00"]]}}', /monday/],
    ['SLA_BUSINESS_HOURS', '{"timezone":"UTC","week":{}}', /week: must have at least one open window/],
    ['SLA_BUSINESS_HOURS', '{"timezone":"UTC","week":{"mon":[["09:00","17:00"]]},"holidays":["2026-13-01"]}', /holidays\.0: must be a date/],
    ['SLA_WARNING_AT', '1', /SLA_WARNING_AT/],
    ['SLA_WARNING_AT', '0', /SLA_WARNING_AT/],
    ['SLA_WARNING_AT', 'most', /SLA_WARNING_AT/],
    ['METRICS_TOKEN', 'short', /at least 16 characters/],
  ])('stops with one line naming %s when it is %s', (variable, value, message) => {
    const error = configError({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable}: `));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});
