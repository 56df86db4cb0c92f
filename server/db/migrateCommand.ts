import { loadConfigOrExit } from '../config';
import { migrate } from './migrate';
import { openDatabase } from './open';

/** `npm run migrate`: brings the configured database to the current schema and exits. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const db = await openDatabase(config);
  try {
    const applied = await migrate(db);
    console.log(applied.length ? `applied migrations ${applied.join(', ')} (${db.kind})` : `schema is current (${db.kind})`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
