import type { z } from 'zod';
import { HubError } from './errors';

/** Validates input from outside against its schema; the first problem becomes `validation_failed`. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HubError('validation_failed', `${where}${issue.message}`);
}
