import type { MessageClassification } from '../../server/domain/classification';
import { type Intent, UNKNOWN_INTENT } from '../../server/domain/intents';
import { features } from './features';
import { detectLanguage } from './language';
import { predict } from './model';
import type { IntentModel } from './modelFile';
import { sentiment } from './sentiment';
import { isUrgent } from './urgency';

/**
 * Classifies one customer message: intent (`unknown` below the confidence threshold), language,
 * sentiment and urgency. A pure function of the text and the model.
 */
export function classifyMessage(model: IntentModel, text: string, options: { threshold: number }): MessageClassification {
  const prediction = predict(model.model, features(text));
  const confidence = Math.round(prediction.confidence * 10_000) / 10_000;
  return {
    // readIntentModel checked that every label is a product intent.
    intent: confidence >= options.threshold ? (prediction.intent as Intent) : UNKNOWN_INTENT,
    confidence,
    language: detectLanguage(text),
    sentiment: sentiment(text),
    urgent: isUrgent(text),
  };
}
