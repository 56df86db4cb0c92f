import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type IntentModelInfo, modelIntents } from '../../server/domain/intents';
import type { NaiveBayesJson } from './model';

/** A trained model as stored: how it was made and measured, then the classifier itself. */
export type IntentModel = IntentModelInfo & { intents: string[]; model: NaiveBayesJson };

const known = new Set<string>(modelIntents);

/** Reads a model file, refusing one that is not a model or knows intents the product does not. */
export function readIntentModel(file: string): IntentModel {
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<IntentModel>;
  const model = stored.model;
  if (!stored.version || !model?.labels || !model.counts || !model.temperature) {
    throw new Error(`${file} is not an intent model written by npm run train`);
  }
  const strange = model.labels.filter((label) => !known.has(label));
  if (strange.length) throw new Error(`${file} knows intents the product does not: ${strange.join(', ')}`);
  return stored as IntentModel;
}

/** `20260129T101500Z-1a2b3c4`: the training time (so names sort by age), then a hash of the model. */
export function modelVersion(trainedAt: Date, model: NaiveBayesJson): string {
  const time = trainedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${time}-${createHash('sha256').update(JSON.stringify(model)).digest('hex').slice(0, 7)}`;
}

/**
 * Writes the model with one top-level field per line (a readable diff when the shipped model
 * changes), through a temporary file so a worker never reads half of it.
 */
export function writeIntentModel(file: string, stored: IntentModel): void {
  const { version, trainedAt, intents, metrics, model } = stored;
  const fields = Object.entries({ version, trainedAt, intents, metrics, model }).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `{\n${fields.join(',\n')}\n}\n`);
  renameSync(temporary, file);
}
