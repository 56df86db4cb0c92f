import type { CampaignStats } from './campaignShapes';

/** Automated campaigns (README, "Automations"): a trigger, an optional segment, steps with a wait before each. */
export type TriggerType = 'customer.created' | 'conversation.resolved' | 'order.placed' | 'inactivity';

export type AutomationStep = {
  delay: number;
  subject: string;
  html: string;
  text: string;
  from: { email: string; name: string };
  campaignId: string;
  stats: CampaignStats;
};

export type Automation = {
  id: string;
  name: string;
  trigger: { type: TriggerType; days?: number };
  segmentId: string | null;
  enabled: boolean;
  steps: AutomationStep[];
  enrollments: { active: number; completed: number; stopped: number };
  createdAt: string;
  updatedAt: string;
};

export const TRIGGERS: Record<TriggerType, string> = {
  'customer.created': 'A customer is created',
  'conversation.resolved': 'A conversation is resolved',
  'order.placed': 'An order is placed',
  inactivity: 'A customer has been inactive for…',
};

export const triggerText = (trigger: Automation['trigger']) =>
  trigger.type === 'inactivity' ? `Inactive for ${trigger.days} days` : TRIGGERS[trigger.type].replace(/^A /, 'When a ');

const UNITS: [string, number][] = [
  ['w', 604_800],
  ['d', 86_400],
  ['h', 3600],
  ['m', 60],
];

/** Seconds as the hub accepts them back: '2d', '90m', '45s'. */
export function delayText(seconds: number): string {
  if (seconds === 0) return '0s';
  for (const [unit, size] of UNITS) if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

/** A wait in words: "right away", "2 days later". */
export function delayWords(seconds: number, first: boolean): string {
  if (seconds === 0) return first ? 'Right away' : 'Straight after';
  const text = delayText(seconds);
  const amount = Number(text.slice(0, -1));
  const names: Record<string, string> = { w: 'week', d: 'day', h: 'hour', m: 'minute', s: 'second' };
  const name = names[text.slice(-1)]!;
  return `${amount} ${name}${amount === 1 ? '' : 's'} ${first ? 'after the trigger' : 'later'}`;
}

export const automationPath = (id?: string) => (id ? `/campaigns/automations/${encodeURIComponent(id)}` : '/campaigns/automations');
