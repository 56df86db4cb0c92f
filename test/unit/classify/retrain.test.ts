import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DATA_FILES, readExamplesCsv } from '../../../workers/classify/examples';
import { modelIntents } from '../../../server/domain/intents';
import { readIntentModel, writeIntentModel } from '../../../workers/classify/modelFile';
import { retrain } from '../../../workers/classify/retrain';
import { trainModel } from '../../../workers/classify/training';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'retrain-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const workers = (intentModelFile?: string) => ({ concurrency: { classify: 1, route: 1, sla: 1 }, intentConfidenceThreshold: 0.5, intentModelFile, agentOfflineGraceMs: 0 });

async function run(intentModelFile?: string) {
  const printed: string[] = [];
  const file = await retrain({ ship: false, config: { databaseUrl: undefined, dataDir, workers: workers(intentModelFile) }, print: (text) => printed.push(text) });
  return { file, output: printed.join('\n') };
}

describe('npm run train', () => {
  it('evaluates on the held-out split, prints the figures, and writes a versioned model that reaches the English target', async () => {
    const { file, output } = await run();
    expect(file).toMatch(/[/\\]models[/\\]intent-\d{8}T\d{6}Z-[0-9a-f]{7}\.json$/);
    const stored = readIntentModel(file!);
    expect(stored.intents).toEqual([...modelIntents]);
    const metrics = stored.metrics as { english: { macroF1: number; accuracy: number }; chinese: { examples: number; macroF1: number } };
    expect(metrics.english.macroF1).toBeGreaterThanOrEqual(0.85);
    expect(metrics.chinese.examples).toBeGreaterThanOrEqual(27 * 2);
    expect(output).toMatch(/English \(Bitext\): [\d,]+ held-out examples/);
    expect(output).toMatch(/Chinese \(our own\): \d+ held-out examples/);
    expect(output).toMatch(/cancel_order\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+\d+/);
    expect(output).toContain(`accuracy ${metrics.english.accuracy.toFixed(3)}  macro-F1 ${metrics.english.macroF1.toFixed(3)}`);
    expect(output).toMatch(/Current model .* on the same held-out split/);
    expect(output).toContain('Agent corrections: no database');
  });

  it('keeps the current model when the new one does worse on the same held-out split', async () => {
    // A model that saw the held-out examples too: nothing trained honestly can beat it there.
    const everything = [...readExamplesCsv(DATA_FILES.english), ...readExamplesCsv(DATA_FILES.chinese)];
    const current = path.join(dataDir, 'current.json');
    writeIntentModel(current, { version: 'saw-everything', trainedAt: new Date(0).toISOString(), intents: [...modelIntents], metrics: {}, model: trainModel(everything) });

    const { file, output } = await run(current);
    expect(file).toBeUndefined();
    expect(output).toMatch(/Kept the current model: the new one's macro-F1 [\d.]+ is worse than [\d.]+/);
    expect(existsSync(path.join(dataDir, 'models')) ? readdirSync(path.join(dataDir, 'models')) : []).toEqual([]);
  });
});
