import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type CampaignSmtpAccount, campaignSmtpAccounts, campaignSmtpAccountsVariable } from './campaignSmtpAccounts';
import { businessHoursVariable, DEFAULT_SLA_SETTINGS, type SlaSettings, slaPoliciesVariable, warningAtVariable } from './slaConfig';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** An optional URL of one of the given schemes; empty counts as unset (the embedded default). */
const optionalUrl = (schemes: readonly string[]) =>
  optionalString.refine(
    (value) => value === undefined || schemes.some((scheme) => value.startsWith(`${scheme}://`)),
    `must be a ${schemes.map((scheme) => `${scheme}://`).join(' or ')} URL`,
  );

const emailList = z
  .string()
  .transform((value) => value.split(',').map((address) => address.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.email({ error: 'must be a comma-separated list of email addresses' })).min(1));

const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATA_DIR: z.string().trim().min(1).default('./var'),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'letters, digits, ":", "_" or "-", at most 64')
    .default('hub'),
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_EMAIL: z.email().default('admin@example.com'),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  WIDGET_ORIGINS: optionalString,
  TRUST_PROXY: flag.default(false),
  MESSAGE_MAX_LENGTH: z.coerce.number().int().min(1).max(100_000).default(10_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  SMTP_HOST: z.string().trim().min(1).default('127.0.0.1'),
  SUPPORT_ADDRESSES: emailList.default(['support@example.com']),
  SMTP_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(25 * 1024 * 1024),
  SMTP_AUTH_USER: optionalString,
  SMTP_AUTH_PASSWORD: optionalString,
  SMTP_TLS_KEY_FILE: optionalString,
  SMTP_TLS_CERT_FILE: optionalString,
  SMTP_SENDER_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  SMTP_OUT_URL: optionalUrl(['smtp', 'smtps']),
  EMAIL_FROM_NAME: z.string().trim().min(1).max(100).default('Support'),
  EMAIL_AUTO_ACK: flag.default(false),
  EMAIL_AUTO_ACK_TEMPLATE: z
    .string()
    .min(1)
    .default('Hello {{name}},\n\nWe received your message "{{subject}}" and will answer soon.\n\nSupport'),
  INBOUND_EMAIL_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  FILES_DIR: optionalString,
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1).default(10 * 1024 * 1024),
  ATTACHMENTS_MAX_COUNT: z.coerce.number().int().min(0).default(50),
  EMAIL_OUT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  WIDGET_IDENTITY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  DEFAULT_PHONE_REGION: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as US or CN')
    .optional(),
  CUSTOMER_ATTRIBUTE_MAX_BYTES: z.coerce.number().int().min(16).max(1024 * 1024).default(4096),
  FORM_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  FORM_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(10),
  FORM_RATE_LIMIT_PER_FORM: z.coerce.number().int().min(1).default(600),
  RFM_RECOMPUTE_DELAY_MS: z.coerce.number().int().min(0).default(5000),
  CLASSIFY_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  ROUTE_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  SLA_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  INTENT_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  INTENT_MODEL_FILE: optionalString,
  AGENT_OFFLINE_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  SLA_POLICIES: slaPoliciesVariable.optional(),
  SLA_BUSINESS_HOURS: businessHoursVariable.optional(),
  SLA_WARNING_AT: warningAtVariable.default(DEFAULT_SLA_SETTINGS.warningAt),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  CAMPAIGN_SMTP_ACCOUNTS: campaignSmtpAccountsVariable.optional(),
  CAMPAIGN_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
  CAMPAIGN_SEND_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
});

export type Config = Readonly<{
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisPrefix: string;
  secretKey: string;
  adminEmail: string;
  adminPassword: string | undefined;
  logLevel: (typeof logLevels)[number];
  /** Behind a reverse proxy that sets X-Forwarded-For/-Proto: the client address comes from it. */
  trustProxy: boolean;
  /** Origins allowed to embed the widget; `true` allows any. */
  widgetOrigins: string[] | true;
  messageMaxLength: number;
  shutdownTimeoutMs: number;
  email: Readonly<{
    smtpPort: number;
    smtpHost: string;
    /** The addresses we receive for; the first is the From of replies. */
    supportAddresses: readonly string[];
    maxMessageBytes: number;
    auth: { user: string; password: string } | undefined;
    tls: { keyFile: string; certFile: string } | undefined;
    senderLimitPerMinute: number;
    /** Where replies go out; undefined writes .eml files under DATA_DIR/outbox. */
    outboundUrl: string | undefined;
    fromName: string;
    autoAcknowledge: { template: string } | undefined;
    inboundApiKey: string | undefined;
    filesDir: string;
    attachmentMaxBytes: number;
    attachmentsMaxCount: number;
    outboundConcurrency: number;
    /** Where campaigns go out, by account name (`default`: SMTP_OUT_URL), with each account's limits. */
    campaignAccounts: Readonly<Record<string, CampaignSmtpAccount>>;
  }>;
  crm: Readonly<{
    /** The secret a site signs visitor identities with (HMAC-SHA256); unset means no verification. */
    widgetIdentitySecret: string | undefined;
    /** The country assumed for phone numbers written without +country code. */
    defaultPhoneRegion: string | undefined;
    attributeMaxBytes: number;
    formMaxBytes: number;
    /** Form submissions allowed per minute from one IP address, and to one form. */
    formRateLimitPerIp: number;
    formRateLimitPerForm: number;
    /** How long after an order the RFM recomputation waits, so a burst of orders costs one run. */
    rfmRecomputeDelayMs: number;
  }>;
  workers: Readonly<{
    /** Jobs each worker process runs at once, per queue. */
    concurrency: { classify: number; route: number; sla: number };
    /** Below this confidence the intent is `unknown` and the conversation goes to the default team. */
    intentConfidenceThreshold: number;
    /** The intent model to load; unset: the newest under DATA_DIR/models, else the shipped one. */
    intentModelFile: string | undefined;
    /** How long an agent may be gone before their unanswered conversations go back to the queue. */
    agentOfflineGraceMs: number;
  }>;
  campaigns: Readonly<{
    /** Campaign messages one worker process sends at once, per campaign. */
    sendConcurrency: number;
    /** How long a claim on a campaign recipient holds before another attempt may take it over (after a crash). */
    leaseMs: number;
  }>;
  /** First-response and resolution targets per priority, and the hours they count. */
  sla: SlaSettings;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
}>;

/** A configuration value that cannot be used; names the variable so one log line says what to fix. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; call at start and pass the result down. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    // A JSON variable (SLA_POLICIES) also names the field inside it.
    const field = issue.path.slice(1).join('.');
    throw new ConfigError(variable, `${field ? `${field}: ` : ''}${issue.message} (got ${JSON.stringify(environment[variable] ?? null)})`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  if (Boolean(env.SMTP_AUTH_USER) !== Boolean(env.SMTP_AUTH_PASSWORD)) {
    throw new ConfigError(env.SMTP_AUTH_USER ? 'SMTP_AUTH_PASSWORD' : 'SMTP_AUTH_USER', 'SMTP AUTH needs both SMTP_AUTH_USER and SMTP_AUTH_PASSWORD');
  }
  if (Boolean(env.SMTP_TLS_KEY_FILE) !== Boolean(env.SMTP_TLS_CERT_FILE)) {
    throw new ConfigError(env.SMTP_TLS_KEY_FILE ? 'SMTP_TLS_CERT_FILE' : 'SMTP_TLS_KEY_FILE', 'STARTTLS needs both SMTP_TLS_KEY_FILE and SMTP_TLS_CERT_FILE');
  }
  return Object.freeze({
    port: env.PORT,
    host: env.HOST,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    dataDir,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    secretKey: env.SECRET_KEY ?? readOrCreateSecretKey(dataDir),
    adminEmail: env.ADMIN_EMAIL.toLowerCase(),
    adminPassword: env.ADMIN_PASSWORD,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    widgetOrigins: env.WIDGET_ORIGINS ? env.WIDGET_ORIGINS.split(',').map((origin) => origin.trim()) : true,
    messageMaxLength: env.MESSAGE_MAX_LENGTH,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    email: Object.freeze({
      smtpPort: env.SMTP_PORT,
      smtpHost: env.SMTP_HOST,
      supportAddresses: env.SUPPORT_ADDRESSES,
      maxMessageBytes: env.SMTP_MAX_MESSAGE_BYTES,
      auth: env.SMTP_AUTH_USER && env.SMTP_AUTH_PASSWORD ? { user: env.SMTP_AUTH_USER, password: env.SMTP_AUTH_PASSWORD } : undefined,
      tls:
        env.SMTP_TLS_KEY_FILE && env.SMTP_TLS_CERT_FILE
          ? { keyFile: path.resolve(env.SMTP_TLS_KEY_FILE), certFile: path.resolve(env.SMTP_TLS_CERT_FILE) }
          : undefined,
      senderLimitPerMinute: env.SMTP_SENDER_LIMIT_PER_MINUTE,
      outboundUrl: env.SMTP_OUT_URL,
      fromName: env.EMAIL_FROM_NAME,
      autoAcknowledge: env.EMAIL_AUTO_ACK ? { template: env.EMAIL_AUTO_ACK_TEMPLATE } : undefined,
      inboundApiKey: env.INBOUND_EMAIL_API_KEY,
      filesDir: path.resolve(env.FILES_DIR ?? path.join(dataDir, 'files')),
      attachmentMaxBytes: env.ATTACHMENT_MAX_BYTES,
      attachmentsMaxCount: env.ATTACHMENTS_MAX_COUNT,
      outboundConcurrency: env.EMAIL_OUT_CONCURRENCY,
      campaignAccounts: campaignSmtpAccounts(env.CAMPAIGN_SMTP_ACCOUNTS, env.SMTP_OUT_URL),
    }),
    crm: Object.freeze({
      widgetIdentitySecret: env.WIDGET_IDENTITY_SECRET,
      defaultPhoneRegion: env.DEFAULT_PHONE_REGION,
      attributeMaxBytes: env.CUSTOMER_ATTRIBUTE_MAX_BYTES,
      formMaxBytes: env.FORM_MAX_BYTES,
      formRateLimitPerIp: env.FORM_RATE_LIMIT_PER_IP,
      formRateLimitPerForm: env.FORM_RATE_LIMIT_PER_FORM,
      rfmRecomputeDelayMs: env.RFM_RECOMPUTE_DELAY_MS,
    }),
    workers: Object.freeze({
      concurrency: { classify: env.CLASSIFY_CONCURRENCY, route: env.ROUTE_CONCURRENCY, sla: env.SLA_CONCURRENCY },
      intentConfidenceThreshold: env.INTENT_CONFIDENCE_THRESHOLD,
      intentModelFile: env.INTENT_MODEL_FILE && path.resolve(env.INTENT_MODEL_FILE),
      agentOfflineGraceMs: env.AGENT_OFFLINE_GRACE_MS,
    }),
    campaigns: Object.freeze({ sendConcurrency: env.CAMPAIGN_SEND_CONCURRENCY, leaseMs: env.CAMPAIGN_SEND_LEASE_MS }),
    sla: Object.freeze({
      policies: Object.freeze(env.SLA_POLICIES ?? DEFAULT_SLA_SETTINGS.policies),
      businessHours: env.SLA_BUSINESS_HOURS,
      warningAt: env.SLA_WARNING_AT,
    }),
    metricsToken: env.METRICS_TOKEN,
  });
}

// A generated key is kept on disk so tokens survive restarts; it is never a built-in default.
function readOrCreateSecretKey(dataDir: string): string {
  const file = path.join(dataDir, 'secret-key');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length < 32) throw new ConfigError('SECRET_KEY', `${file} holds fewer than 32 characters`);
    return stored;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

/** loadConfig for entry points: a bad value prints one line naming the variable and exits 1. */
export function loadConfigOrExit(check: (config: Config) => void = () => undefined): Config {
  try {
    const config = loadConfig();
    check(config);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Configuration error: ${error.message}`);
    process.exit(1);
  }
}
