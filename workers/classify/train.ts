import { loadConfigOrExit } from '../../server/config';

/**
 * `npm run train [-- --ship]`: trains the intent model, prints its held-out evaluation, and keeps
 * it only if it is not worse than the current one (see retrain.ts).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--ship');
  if (unknown.length) {
    console.error(`Unknown argument ${unknown.join(' ')}. Usage: npm run train [-- --ship]`);
    process.exit(2);
  }
  // Configuration first: natural, which the training pulls in, loads ./.env when imported.
  const config = loadConfigOrExit();
  const { retrain } = await import('./retrain');
  await retrain({ ship: args.includes('--ship'), config, print: (text) => console.log(text) });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
