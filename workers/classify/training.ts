import { features } from './features';
import { countTokens, fitTemperatures, type NaiveBayesJson } from './model';
import { stratifiedSplit } from './split';

/** A labelled message. */
export type Example = { text: string; intent: string };

const CALIBRATION_SEED = 'intent-calibration-1';

/**
 * Trains the classifier on these examples only: the temperatures are fitted on a fifth of them
 * counted without it, then every example is counted.
 */
export function trainModel(examples: Example[]): NaiveBayesJson {
  const labelled = examples.map((example) => ({ ...example, tokens: features(example.text), label: example.intent }));
  const calibration = stratifiedSplit(labelled, { seed: CALIBRATION_SEED });
  const temperature = fitTemperatures(countTokens(calibration.train), calibration.test);
  return { ...countTokens(labelled), temperature };
}
