import type { Queryable } from '../db/database';
import { SURVEY_URL_VARIABLE } from './automationSurvey';
import { parseCampaignTemplate } from './campaignTemplates';
import { HubError } from './errors';
import { newId } from './ids';

/** What a step sends: campaign templates and a sender. */
export type AutomationStepContent = { subject: string; html: string; text: string; from: { email: string; name: string } };
type StepInput = AutomationStepContent & { delay: number };

/** A current step with its campaign's content. */
export type StepRow = {
  position: number;
  delay_seconds: number;
  campaign_id: string;
  subject: string;
  html_body: string;
  text_body: string;
  from_email: string;
  from_name: string;
};

/** The automation's current steps, in order. */
export async function stepsOf(db: Queryable, automationId: string): Promise<StepRow[]> {
  return db.query<StepRow>(
    `SELECT s.position, s.delay_seconds, s.campaign_id, c.subject, c.html_body, c.text_body, c.from_email, c.from_name
       FROM automation_steps s JOIN campaigns c ON c.id = s.campaign_id
      WHERE s.automation_id = $1 ORDER BY s.position`,
    [automationId],
  );
}

/** Variables a step's templates may use beyond the customer's: a survey link after a resolved conversation. */
export const stepVariables = (trigger: string): string[] => (trigger === 'conversation.resolved' ? [SURVEY_URL_VARIABLE] : []);

/**
 * Every step's templates parse and it has a subject and a body; the first problem names the step:
 * `invalid_template` with `details: { step, field, line, column }`, or `validation_failed`.
 */
export function checkStepTemplates(steps: readonly AutomationStepContent[], trigger: string): void {
  const extraVariables = stepVariables(trigger);
  steps.forEach((step, index) => {
    for (const field of ['subject', 'html', 'text'] as const) {
      try {
        parseCampaignTemplate(step[field], field, { extraVariables });
      } catch (error) {
        if (!(error instanceof HubError) || error.code !== 'invalid_template') throw error;
        throw new HubError('invalid_template', `steps.${index}.${error.message}`, { step: index, ...(error.details as object) });
      }
    }
    if (!step.subject.trim()) throw new HubError('validation_failed', `steps.${index}.subject: a step needs a subject`);
    if (!step.html.trim() && !step.text.trim()) throw new HubError('validation_failed', `steps.${index}.html, text: a step needs a body`);
  });
}

const sameContent = (row: StepRow, step: AutomationStepContent) =>
  row.subject === step.subject && row.html_body === step.html && row.text_body === step.text && row.from_email === step.from.email && row.from_name === step.from.name;

const stepName = (automationName: string, position: number) => `${automationName} · step ${position + 1}`;

/**
 * Makes `steps` the automation's steps, position by position. Unchanged content keeps its campaign
 * (its delay and name may change); new or changed content gets a new sending campaign (`started`);
 * a campaign no longer a step is `retired`: it finishes what it had queued and is then `sent`.
 */
export async function replaceSteps(
  tx: Queryable,
  automation: { id: string; name: string; agentId: string | null; now: Date },
  steps: readonly StepInput[],
): Promise<{ started: string[]; retired: string[] }> {
  const current = await stepsOf(tx, automation.id);
  const started: string[] = [];
  const retired: string[] = [];
  for (const [position, step] of steps.entries()) {
    const existing = current[position];
    if (existing && sameContent(existing, step)) {
      await tx.query('UPDATE automation_steps SET delay_seconds = $3 WHERE automation_id = $1 AND position = $2', [automation.id, position, step.delay]);
      await tx.query('UPDATE campaigns SET name = $2 WHERE id = $1', [existing.campaign_id, stepName(automation.name, position)]);
      continue;
    }
    const campaignId = newId('cmp');
    // Sending from the start: an automation's step takes recipients whenever an enrollment reaches it.
    await tx.query(
      `INSERT INTO campaigns (id, name, automation_id, from_email, from_name, subject, html_body, text_body, status, started_at, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sending', $9, $10, $9, $9)`,
      [campaignId, stepName(automation.name, position), automation.id, step.from.email, step.from.name, step.subject, step.html, step.text, automation.now, automation.agentId],
    );
    await tx.query(
      `INSERT INTO automation_steps (automation_id, position, delay_seconds, campaign_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (automation_id, position) DO UPDATE SET delay_seconds = EXCLUDED.delay_seconds, campaign_id = EXCLUDED.campaign_id`,
      [automation.id, position, step.delay, campaignId],
    );
    started.push(campaignId);
    if (existing) retired.push(existing.campaign_id);
  }
  const dropped = current.slice(steps.length);
  if (dropped.length > 0) {
    await tx.query('DELETE FROM automation_steps WHERE automation_id = $1 AND position >= $2', [automation.id, steps.length]);
    retired.push(...dropped.map((row) => row.campaign_id));
  }
  return { started, retired };
}
