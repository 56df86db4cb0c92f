import { z } from 'zod';

/**
 * An SMTP account campaigns go out through, with the provider's limits (messages per second and
 * per hour, across every campaign and worker process) and the size of its connection pool.
 */
export type CampaignSmtpAccount = Readonly<{
  /** smtp:// or smtps:// URL; undefined writes .eml files under DATA_DIR/outbox (the embedded default). */
  url: string | undefined;
  ratePerSecond: number | undefined;
  ratePerHour: number | undefined;
  maxConnections: number;
}>;

/** The account a campaign without `smtpAccount` uses. */
export const DEFAULT_SMTP_ACCOUNT = 'default';
const DEFAULT_MAX_CONNECTIONS = 5;

const account = z.strictObject({
  url: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL'),
  ratePerSecond: z.number().positive().optional(),
  ratePerHour: z.number().int().positive().optional(),
  maxConnections: z.number().int().min(1).max(100).default(DEFAULT_MAX_CONNECTIONS),
});

/** CAMPAIGN_SMTP_ACCOUNTS: JSON `{ "name": { url, ratePerSecond?, ratePerHour?, maxConnections? } }`. */
export const campaignSmtpAccountsVariable = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.issues.push({ code: 'custom', message: 'must be JSON', input: text });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'account names are letters, digits, "_" or "-"'), account));

/** The configured accounts; `default` is SMTP_OUT_URL (or the .eml outbox) without limits unless configured. */
export function campaignSmtpAccounts(
  configured: Record<string, z.infer<typeof account>> | undefined,
  outboundUrl: string | undefined,
): Readonly<Record<string, CampaignSmtpAccount>> {
  const accounts: Record<string, CampaignSmtpAccount> = {
    [DEFAULT_SMTP_ACCOUNT]: { url: outboundUrl, ratePerSecond: undefined, ratePerHour: undefined, maxConnections: DEFAULT_MAX_CONNECTIONS },
  };
  for (const [name, given] of Object.entries(configured ?? {})) {
    accounts[name] = Object.freeze({ url: given.url, ratePerSecond: given.ratePerSecond, ratePerHour: given.ratePerHour, maxConnections: given.maxConnections });
  }
  return Object.freeze(accounts);
}
