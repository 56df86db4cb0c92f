// The project's one use of natural. Only its stemmers and sentiment modules are loaded: the
// package's index also loads storage backends (mongoose, pg, redis) that run dotenv.config() on
// import (reading ./.env into process.env) and make the import about ten times slower.
import { PorterStemmer } from 'natural/lib/natural/stemmers';
import { SentimentAnalyzer } from 'natural/lib/natural/sentiment';

/** English Porter stem of one lower-case word. */
export const porterStem = (word: string): string => PorterStemmer.stem(word);

const afinn = new SentimentAnalyzer('English', PorterStemmer, 'afinn');

/** AFINN-165 valence summed over the words (-5..5 each); "not", "no", "never" flip the words after them. */
export const afinnScore = (words: string[]): number => (words.length ? afinn.getSentiment(words) * words.length : 0);
