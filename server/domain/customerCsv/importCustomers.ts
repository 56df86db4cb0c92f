import { z } from 'zod';
import type { Database, Queryable } from '../../db/database';
import type { DomainSettings } from '../context';
import { saveCustomer } from '../customers';
import { HubError } from '../errors';
import { decodeCsv } from './decode';
import { type CsvRow, readCustomerRows, type RowProblem } from './readRows';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

export const customerImportQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((flag) => flag === 'true')
    .describe('true: check every row against the database as the import would, and write nothing'),
});

export type ImportResult =
  | { dryRun: true; rows: number; valid: number; errors: RowProblem[]; wouldCreate: number; wouldUpdate: number }
  | { dryRun: false; rows: number; created: number; updated: number };

type Saved = { errors: RowProblem[]; created: number; updated: number };

/** Thrown out of the transaction to roll it back, carrying what the saves found. */
class RolledBack extends Error {
  constructor(readonly saved: Saved) {
    super('rolled back');
  }
}

/**
 * Creates or updates (by external id, email or phone) the customer of each row of a CSV file, all
 * rows or none. A dry run makes the very same saves and rolls them back, so it finds every problem
 * the real import would, conflicts with existing customers included.
 */
export async function importCustomersCsv(
  db: Database,
  settings: DomainSettings,
  file: { bytes: Buffer; charset?: string },
  options: { dryRun: boolean },
): Promise<ImportResult> {
  const rows = readCustomerRows(decodeCsv(file.bytes, file.charset), settings);
  let saved: Saved;
  try {
    saved = await db.transaction(async (tx) => {
      const outcome = await saveRows(tx, settings, rows);
      if (options.dryRun || outcome.errors.length > 0) throw new RolledBack(outcome);
      return outcome;
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
    saved = error.saved;
  }
  const { errors, created, updated } = saved;
  if (options.dryRun) return { dryRun: true, rows: rows.length, valid: created + updated, errors, wouldCreate: created, wouldUpdate: updated };
  if (errors.length > 0) {
    const failed = new Set(errors.map((error) => error.row)).size;
    throw new HubError('csv_invalid', `${failed} of ${rows.length} rows have problems; nothing was imported`, { errors });
  }
  return { dryRun: false, rows: rows.length, created, updated };
}

async function saveRows(tx: Queryable, settings: DomainSettings, rows: readonly CsvRow[]): Promise<Saved> {
  const saved: Saved = { errors: [], created: 0, updated: 0 };
  // A row that fails must leave nothing behind, and must not abort the transaction for the rows
  // after it: each row runs after a savepoint, moved past the row once it succeeds (one round trip).
  await tx.exec('SAVEPOINT csv_row');
  for (const row of rows) {
    if (row.problems.length > 0) {
      saved.errors.push(...row.problems);
      continue;
    }
    try {
      const { created } = await saveCustomer(tx, settings, row.input, 'upsert');
      await tx.exec('RELEASE SAVEPOINT csv_row; SAVEPOINT csv_row');
      if (created) saved.created++;
      else saved.updated++;
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      await tx.exec('ROLLBACK TO SAVEPOINT csv_row');
      saved.errors.push({ row: row.row, line: row.line, code: error.code, message: error.message });
    }
  }
  return saved;
}
