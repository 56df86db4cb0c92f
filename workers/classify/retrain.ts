import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import type { Config } from '../../server/config';
import { intentModelFile, modelIntents, SHIPPED_INTENT_MODEL, trainedModelsDir } from '../../server/domain/intents';
import { DATA_FILES, readCorrections, readExamplesCsv } from './examples';
import { features } from './features';
import { type Evaluation, evaluate } from './metrics';
import { type NaiveBayesJson, predict } from './model';
import { type IntentModel, modelVersion, readIntentModel, writeIntentModel } from './modelFile';
import { evaluationTable, summaryLine, thresholdLine } from './report';
import { SPLIT_SEED, stratifiedSplit } from './split';
import { type Example, trainModel } from './training';

export type RetrainOptions = {
  /** Also write the shipped default model, trained on the repository's data only. */
  ship: boolean;
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'workers'>;
  print: (text: string) => void;
  now?: Date;
};

type Predicted = { expected: string; predicted: string; confidence: number };
const predictAll = (model: NaiveBayesJson, examples: Example[]): Predicted[] =>
  examples.map((example) => {
    const prediction = predict(model, features(example.text));
    return { expected: example.intent, predicted: prediction.intent, confidence: prediction.confidence };
  });

const rounded = (evaluation: Evaluation): Evaluation => JSON.parse(JSON.stringify(evaluation, (_key, value) => (typeof value === 'number' ? Math.round(value * 10_000) / 10_000 : value)));
const summary = (evaluation: Evaluation) => ({ examples: evaluation.examples, accuracy: evaluation.accuracy, macroF1: evaluation.macroF1 });

function currentModel(options: RetrainOptions): { file: string; model: IntentModel } | undefined {
  const file = options.ship
    ? existsSync(SHIPPED_INTENT_MODEL) ? SHIPPED_INTENT_MODEL : undefined
    : intentModelFile({ configuredFile: options.config.workers.intentModelFile, dataDir: options.config.dataDir });
  if (!file) return undefined;
  try {
    return { file, model: readIntentModel(file) };
  } catch (error) {
    options.print(`The current model ${file} cannot be read (${(error as Error).message}); comparing with none.`);
    return undefined;
  }
}

/**
 * `npm run train`: trains on a seeded stratified 80% of each set, evaluates on the 20% it never
 * saw, and replaces the current model only if the new one's English+Chinese held-out macro-F1 is
 * not worse on that same split. The model written is the one measured. Returns the file written.
 */
export async function retrain(options: RetrainOptions): Promise<string | undefined> {
  const { print } = options;
  const threshold = options.config.workers.intentConfidenceThreshold;
  const english = stratifiedSplit(readExamplesCsv(DATA_FILES.english));
  const chinese = stratifiedSplit(readExamplesCsv(DATA_FILES.chinese));
  const englishOwn = readExamplesCsv(DATA_FILES.englishOwn);
  // A shipped model goes into the repository: it never learns from one deployment's customers.
  const corrections = options.ship ? undefined : await readCorrections(options.config);
  const correctionSplit = stratifiedSplit(corrections ?? []);

  const training = [...english.train, ...chinese.train, ...correctionSplit.train];
  print(
    `Training on ${english.train.length} English + ${chinese.train.length} Chinese examples + ${correctionSplit.train.length} agent corrections ` +
      `(seeded stratified split "${SPLIT_SEED}": 80% to train, 20% held out).`,
  );
  const started = performance.now();
  const model = trainModel(training);
  print(`Trained in ${((performance.now() - started) / 1000).toFixed(1)} s; ${Object.keys(model.counts).length} features.\n`);

  const heldOut = [...english.test, ...chinese.test];
  const englishPredictions = predictAll(model, english.test);
  const chinesePredictions = predictAll(model, chinese.test);
  const ownPredictions = predictAll(model, englishOwn);
  const englishEvaluation = rounded(evaluate(englishPredictions));
  const chineseEvaluation = rounded(evaluate(chinesePredictions));
  const combined = rounded(evaluate([...englishPredictions, ...chinesePredictions]));
  const own = rounded(evaluate(ownPredictions));
  print(`${evaluationTable('English (Bitext)', englishEvaluation)}\n${thresholdLine(threshold, englishPredictions)}\n`);
  print(`${evaluationTable('Chinese (our own)', chineseEvaluation)}\n${thresholdLine(threshold, chinesePredictions)}\n`);
  print(`English written differently (our own, never trained on): ${summaryLine(own)}\n${thresholdLine(threshold, ownPredictions)}`);
  const correctionEvaluation = correctionSplit.test.length ? rounded(evaluate(predictAll(model, correctionSplit.test))) : undefined;
  print(
    corrections === undefined
      ? `Agent corrections: ${options.ship ? 'not used for the shipped model' : 'no database'}`
      : `Agent corrections: ${corrections.length} (${correctionSplit.test.length} held out)${correctionEvaluation ? `: ${summaryLine(correctionEvaluation)}` : ''}`,
  );
  print(`English + Chinese held out: ${summaryLine(combined)}\n`);

  const current = currentModel(options);
  if (current) {
    const before = rounded(evaluate(predictAll(current.model.model, heldOut)));
    print(`Current model ${current.model.version} (${path.relative(process.cwd(), current.file)}) on the same held-out split: ${summaryLine(before)}`);
    if (combined.macroF1 < before.macroF1) {
      print(`Kept the current model: the new one's macro-F1 ${combined.macroF1.toFixed(4)} is worse than ${before.macroF1.toFixed(4)}.`);
      return undefined;
    }
  }
  const trainedAt = options.now ?? new Date();
  const stored: IntentModel = {
    version: modelVersion(trainedAt, model),
    trainedAt: trainedAt.toISOString(),
    intents: [...modelIntents],
    metrics: {
      split: { seed: SPLIT_SEED, heldOutShare: 0.2 },
      trainedOn: { english: english.train.length, chinese: chinese.train.length, corrections: correctionSplit.train.length },
      english: englishEvaluation,
      chinese: chineseEvaluation,
      combined: summary(combined),
      englishOwn: summary(own),
      corrections: correctionEvaluation ? summary(correctionEvaluation) : null,
    },
    model,
  };
  const file = path.join(trainedModelsDir(options.config.dataDir), `intent-${stored.version}.json`);
  writeIntentModel(file, stored);
  print(`${current ? 'Replaced the current model: the new one is not worse.' : 'No current model.'} Wrote ${path.relative(process.cwd(), file)}.`);
  if (options.ship) {
    writeIntentModel(SHIPPED_INTENT_MODEL, stored);
    print(`Wrote the shipped model ${path.relative(process.cwd(), SHIPPED_INTENT_MODEL)}.`);
  }
  return file;
}
