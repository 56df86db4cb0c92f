import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Config } from '../../server/config';
import { openDatabase } from '../../server/db/open';
import { modelIntents } from '../../server/domain/intents';
import type { Example } from './training';

/** The labelled sets in the repository (data/intents/README.md says where each comes from). */
export const DATA_DIR = path.resolve(__dirname, '../../data/intents');
export const DATA_FILES = {
  english: path.join(DATA_DIR, 'bitext-customer-support.csv'),
  chinese: path.join(DATA_DIR, 'zh-customer-support.csv'),
  englishOwn: path.join(DATA_DIR, 'en-own-eval.csv'),
};

const known = new Set<string>(modelIntents);

/** A CSV with `text` and `intent` columns; an intent the product does not know is an error, not a skip. */
export function readExamplesCsv(file: string): Example[] {
  const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  return rows.map((row, index) => {
    if (!row.text || !row.intent || !known.has(row.intent)) {
      throw new Error(`${file}, row ${index + 2}: needs a text and one of the product's intents (got ${JSON.stringify(row.intent)})`);
    }
    return { text: row.text, intent: row.intent };
  });
}

/**
 * The agents' corrections from the configured database (DATABASE_URL, else the embedded one
 * under DATA_DIR when there is one); none when there is no database or it predates them.
 */
export async function readCorrections(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Example[] | undefined> {
  if (!config.databaseUrl && !existsSync(path.join(config.dataDir, 'db'))) return undefined;
  const db = await openDatabase(config);
  try {
    const [table] = await db.query<{ found: string | null }>(`SELECT to_regclass('intent_examples')::text AS found`);
    if (!table?.found) return undefined;
    const rows = await db.query<{ text: string; intent: string }>('SELECT text, intent FROM intent_examples ORDER BY created_at, id');
    return rows.filter((row) => known.has(row.intent));
  } finally {
    await db.close();
  }
}
