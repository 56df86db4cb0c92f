import { z } from 'zod';
import type { Queryable } from '../db/database';
import { HubError } from './errors';
import { parseInput } from './parseInput';

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb');
const greetingText = z.string().trim().max(500);
const preChatField = z.enum(['off', 'optional', 'required']);

/** What an admin sets for one widget key; a field left out keeps its current value. */
export const widgetSettingsInput = z.strictObject({
  colors: z.strictObject({ primary: color, onPrimary: color }).optional(),
  greeting: z.strictObject({ en: greetingText, zh: greetingText }).optional(),
  preChat: z.strictObject({ name: preChatField, email: preChatField }).optional(),
  language: z.enum(['auto', 'en', 'zh']).optional(),
});

/** The key an embed names with data-widget-key. */
export const widgetKeySchema = z.string().regex(/^[A-Za-z0-9][\w-]{0,63}$/, 'a widget key has 1 to 64 letters, digits, _ or -');

export const DEFAULT_WIDGET_KEY = 'default';

export type WidgetSettings = {
  key: string;
  colors: { primary: string; onPrimary: string };
  greeting: { en: string; zh: string };
  preChat: { name: z.infer<typeof preChatField>; email: z.infer<typeof preChatField> };
  language: 'auto' | 'en' | 'zh';
  updatedAt: string;
};

type SettingsRow = {
  key: string;
  colors: WidgetSettings['colors'];
  greeting: WidgetSettings['greeting'];
  pre_chat: WidgetSettings['preChat'];
  language: WidgetSettings['language'];
  updated_at: Date;
};

const toSettings = (row: SettingsRow): WidgetSettings => ({
  key: row.key,
  colors: row.colors,
  greeting: row.greeting,
  preChat: row.pre_chat,
  language: row.language,
  updatedAt: row.updated_at.toISOString(),
});

/** The settings of `key`; an unknown or absent key gets the default ones, so any embed works. */
export async function widgetSettingsFor(db: Queryable, key: string | undefined): Promise<WidgetSettings> {
  const rows = await db.query<SettingsRow>('SELECT * FROM widget_settings WHERE key = ANY($1::text[])', [
    [key ?? DEFAULT_WIDGET_KEY, DEFAULT_WIDGET_KEY],
  ]);
  const row = rows.find((candidate) => candidate.key === key) ?? rows.find((candidate) => candidate.key === DEFAULT_WIDGET_KEY);
  if (!row) throw new HubError('internal', 'The default widget settings are missing');
  return toSettings(row);
}

export async function listWidgetSettings(db: Queryable): Promise<WidgetSettings[]> {
  return (await db.query<SettingsRow>('SELECT * FROM widget_settings ORDER BY key')).map(toSettings);
}

/** Creates or changes the settings of `key`; a new key starts from the default settings. */
export async function saveWidgetSettings(db: Queryable, key: string, input: unknown, at: Date): Promise<WidgetSettings> {
  const widgetKey = parseInput(widgetKeySchema, key);
  const change = parseInput(widgetSettingsInput, input);
  const current = await widgetSettingsFor(db, widgetKey);
  const [row] = await db.query<SettingsRow>(
    `INSERT INTO widget_settings (key, colors, greeting, pre_chat, language, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (key) DO UPDATE
       SET colors = EXCLUDED.colors, greeting = EXCLUDED.greeting, pre_chat = EXCLUDED.pre_chat,
           language = EXCLUDED.language, updated_at = EXCLUDED.updated_at
     RETURNING *`,
    [
      widgetKey,
      JSON.stringify(change.colors ?? current.colors),
      JSON.stringify(change.greeting ?? current.greeting),
      JSON.stringify(change.preChat ?? current.preChat),
      change.language ?? current.language,
      at,
    ],
  );
  return toSettings(row!);
}
