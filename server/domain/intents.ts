import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the classifier can tell (the Bitext customer-support intents); teams claim them by these names. */
export const modelIntents = [
  'cancel_order',
  'change_order',
  'change_shipping_address',
  'check_cancellation_fee',
  'check_invoice',
  'check_payment_methods',
  'check_refund_policy',
  'complaint',
  'contact_customer_service',
  'contact_human_agent',
  'create_account',
  'delete_account',
  'delivery_options',
  'delivery_period',
  'edit_account',
  'get_invoice',
  'get_refund',
  'newsletter_subscription',
  'payment_issue',
  'place_order',
  'recover_password',
  'registration_problems',
  'review',
  'set_up_shipping_address',
  'switch_account',
  'track_order',
  'track_refund',
] as const;

/** Below the confidence threshold the intent is unknown, and routing uses the default team. */
export const UNKNOWN_INTENT = 'unknown';

/** Every intent a conversation may have. */
export const intents = [...modelIntents, UNKNOWN_INTENT] as const;
export type Intent = (typeof intents)[number];

const known = new Set<string>(intents);
export const isIntent = (value: string): value is Intent => known.has(value);

/** The model the repository ships, produced by `npm run train -- --ship`. */
export const SHIPPED_INTENT_MODEL = path.resolve(__dirname, '../../models/intent-model.json');

export type IntentModelLocation = { configuredFile: string | undefined; dataDir: string };

/** Models `npm run train` writes here as intent-<version>.json; versions start with the time, so names sort by age. */
export const trainedModelsDir = (dataDir: string) => path.join(dataDir, 'models');
const TRAINED_MODEL = /^intent-.+\.json$/;

/** The model to use: the configured file, else the newest trained under DATA_DIR/models, else the shipped one. */
export function intentModelFile(location: IntentModelLocation): string | undefined {
  if (location.configuredFile) return location.configuredFile;
  const directory = trainedModelsDir(location.dataDir);
  const trained = existsSync(directory) ? readdirSync(directory).filter((name) => TRAINED_MODEL.test(name)).sort() : [];
  const newest = trained[trained.length - 1];
  if (newest) return path.join(directory, newest);
  return existsSync(SHIPPED_INTENT_MODEL) ? SHIPPED_INTENT_MODEL : undefined;
}

/** How a model was made and how well it did on data it never trained on. */
export type IntentModelInfo = { version: string; trainedAt: string; metrics: Record<string, unknown> };

let cached: { file: string; mtimeMs: number; info: IntentModelInfo } | undefined;

/** The current model's description, without loading the classifier (re-read only when the file changes). */
export function currentIntentModelInfo(location: IntentModelLocation): IntentModelInfo | null {
  const file = intentModelFile(location);
  if (!file) return null;
  const { mtimeMs } = statSync(file);
  if (cached?.file !== file || cached.mtimeMs !== mtimeMs) {
    const { version, trainedAt, metrics } = JSON.parse(readFileSync(file, 'utf8')) as IntentModelInfo;
    cached = { file, mtimeMs, info: { version, trainedAt, metrics } };
  }
  return cached.info;
}
