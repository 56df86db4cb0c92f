import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { intentModelFile, SHIPPED_INTENT_MODEL } from '../../../server/domain/intents';
import { countTokens } from '../../../workers/classify/model';
import { modelVersion, readIntentModel, writeIntentModel } from '../../../workers/classify/modelFile';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'intent-model-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const model = countTokens([{ tokens: ['cancel'], label: 'cancel_order' }, { tokens: ['track'], label: 'track_order' }]);
const stored = (version: string) => ({ version, trainedAt: '2026-01-01T00:00:00.000Z', intents: ['cancel_order', 'track_order'], metrics: { combined: { macroF1: 1 } }, model });

describe('intent model files', () => {
  it('round-trip, one top-level field per line', () => {
    const file = path.join(dir, 'models', 'intent-x.json');
    writeIntentModel(file, stored('x'));
    expect(readIntentModel(file)).toEqual(stored('x'));
    expect(readFileSync(file, 'utf8').split('\n').slice(0, 3)).toEqual(['{', '"version":"x",', '"trainedAt":"2026-01-01T00:00:00.000Z",']);
  });

  it('refuse a file that is not a model, or knows intents the product does not', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    expect(() => readIntentModel(file)).toThrow(/not an intent model/);
    writeIntentModel(file, { ...stored('y'), model: countTokens([{ tokens: ['x'], label: 'order_pizza' }]) });
    expect(() => readIntentModel(file)).toThrow(/order_pizza/);
  });

  it('are versioned by training time, then a hash of the model', () => {
    expect(modelVersion(new Date('2026-01-29T10:15:00.123Z'), model)).toMatch(/^20260129T101500Z-[0-9a-f]{7}$/);
  });

  it('are found: the configured file, else the newest trained under DATA_DIR/models, else the shipped one', () => {
    expect(intentModelFile({ configuredFile: undefined, dataDir: dir })).toBe(SHIPPED_INTENT_MODEL);
    writeIntentModel(path.join(dir, 'models', 'intent-20260101T000000Z-aaaaaaa.json'), stored('old'));
    writeIntentModel(path.join(dir, 'models', 'intent-20260201T000000Z-bbbbbbb.json'), stored('new'));
    expect(intentModelFile({ configuredFile: undefined, dataDir: dir })).toBe(path.join(dir, 'models', 'intent-20260201T000000Z-bbbbbbb.json'));
    expect(intentModelFile({ configuredFile: '/elsewhere/model.json', dataDir: dir })).toBe('/elsewhere/model.json');
  });
});
