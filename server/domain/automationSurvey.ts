import { signTrackingToken, verifyTrackingToken } from './campaignTokens';
import type { DomainContext } from './context';
import { rateConversation } from './csat';
import { HubError } from './errors';

/** The template variable of a satisfaction survey: `{{surveyUrl}}?rating=5` rates the conversation 5. */
export const SURVEY_URL_VARIABLE = 'surveyUrl';

/** The survey page of one recipient: signed like the tracking links, so it cannot be guessed or altered. */
export function surveyUrl(links: { publicUrl: string; secretKey: string }, recipientId: string): string {
  return `${links.publicUrl}/s/${signTrackingToken(links.secretKey, { kind: 'survey', recipientId })}`;
}

/**
 * What a survey link did: `invalid` (a token this server did not sign, or a recipient of no
 * resolved-conversation automation), `ask` (no rating given: show the choices), `rated`,
 * `already` (the conversation was rated before: the first rating stands), or `reopened`.
 */
export type SurveyAnswer =
  | { kind: 'invalid' }
  | { kind: 'ask' }
  | { kind: 'rated'; rating: number }
  | { kind: 'already'; rating: number }
  | { kind: 'reopened' };

/** Records the rating as the conversation's CSAT (csat.ts: once per conversation, once it is resolved). */
export async function answerSurvey(ctx: DomainContext, secretKey: string, token: string, rating: number | undefined): Promise<SurveyAnswer> {
  const claim = verifyTrackingToken(secretKey, token);
  if (claim?.kind !== 'survey') return { kind: 'invalid' };
  const [row] = await ctx.db.query<{ conversation_id: string; customer_id: string }>(
    `SELECT cv.id AS conversation_id, cv.customer_id
       FROM campaign_recipients r
       JOIN automation_enrollments e ON e.id = r.enrollment_id
       JOIN conversations cv ON cv.id = e.conversation_id
      WHERE r.id = $1`,
    [claim.recipientId],
  );
  if (!row) return { kind: 'invalid' };
  if (rating === undefined) return { kind: 'ask' };
  try {
    await rateConversation(ctx, row.customer_id, { conversationId: row.conversation_id, rating });
    return { kind: 'rated', rating };
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    if (error.code === 'conversation_not_resolved') return { kind: 'reopened' };
    if (error.code !== 'csat_already_given') throw error;
    const [given] = await ctx.db.query<{ rating: number }>('SELECT rating FROM csat_ratings WHERE conversation_id = $1', [row.conversation_id]);
    return { kind: 'already', rating: Number(given!.rating) };
  }
}
