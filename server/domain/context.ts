import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Campaign } from './campaigns';
import type { CampaignStats } from './campaignStats';
import type { Conversation } from './conversations';
import type { Message } from './messages';
import type { Note } from './note';

/** What happened, told to the live consoles and widgets after the transaction commits. */
export type HubEvent =
  | { type: 'conversation:new'; conversation: Conversation }
  | { type: 'conversation:updated'; conversation: Conversation }
  | { type: 'message:new'; message: Message }
  | { type: 'message:updated'; message: Message }
  /** An agent added an internal note (consoles only; customers never hear of notes). */
  | { type: 'note:new'; note: Note }
  | { type: 'customer:merged'; mergeId: string; sourceId: string; targetId: string }
  /** The router (or an agent) gave this conversation to this agent. */
  | { type: 'conversation:assigned'; conversation: Conversation; agentId: string }
  /** An SLA target is close (warning) or missed (breached); told to these agents (supervisors, assignee). */
  | { type: 'sla:alert'; alert: SlaAlert; agentIds: string[] }
  /** Where a waiting customer's conversation stands in its team's queue (1 = next). */
  | { type: 'queue:position'; customerId: string; conversationId: string; position: number | null }
  /** One side of a chat has seen the other's messages up to upToId. */
  | { type: 'messages:read'; receipt: ReadReceipt }
  /** A campaign's figures while it sends (at most about once a second per campaign). */
  | { type: 'campaign:stats'; campaignId: string; stats: CampaignStats }
  /** A campaign changed state (scheduled, sending, paused, sent, cancelled). */
  | { type: 'campaign:updated'; campaign: Campaign };

export type ReadReceipt = { customerId: string; conversationId: string; reader: 'customer' | 'agent'; upToId: string };

export type SlaAlert = SlaCheck & { teamId: string | null; priority: Conversation['priority'] };

/** Everything a domain function may touch, passed in explicitly. */
export type DomainContext = {
  db: Database;
  publish: (events: HubEvent[]) => void;
  /** Background work, enqueued after commit; each job is keyed so it is enqueued once. */
  queues: {
    emailOut: (messageId: string) => Promise<void>;
    /** Asks for the RFM scores to be recomputed soon; many asks within the delay make one run. */
    recomputeRfm: () => Promise<void>;
    /** Classify this inbound customer message (intent, language, sentiment, urgency). */
    classify: (messageId: string) => Promise<void>;
    /** Find this conversation a team and, when one is free, an agent. */
    route: (conversationId: string) => Promise<void>;
    /** Hand the team's waiting conversations to its free agents (an agent came online or freed up). */
    drainTeamQueue: (teamId: string) => Promise<void>;
    /** The agent went offline: after the grace period, hand their unanswered conversations back. */
    agentWentOffline: (agentId: string) => Promise<void>;
    /** Check a conversation's SLA target at `at` (a warning or the breach itself). */
    checkSla: (check: SlaCheck, at: Date) => Promise<void>;
    /** Open the snoozed conversation again at `until`, if it is still snoozed until then. */
    wakeSnoozed: (conversationId: string, until: Date) => Promise<void>;
    /** Campaign sending: its control step, its own send queue (rate, pause) and its live stats. */
    campaigns: CampaignQueues;
    /** Automated campaigns: what may enrol customers, and each enrollment's next step. */
    automations: AutomationQueues;
  };
  now: () => Date;
  settings: DomainSettings;
};

/** The queues of campaign sending (server/campaignQueues.ts); each campaign has a send queue of its own. */
export type CampaignQueues = {
  /** Plans (the first time) or continues the campaign's sending at `at`, now when omitted. */
  start: (campaignId: string, at?: Date) => Promise<void>;
  /** One send job per recipient, its id the recipient's: asking twice queues once. */
  enqueueSends: (campaignId: string, recipientIds: readonly string[]) => Promise<void>;
  /** The most messages per second the campaign's send queue lets through, across every worker. */
  setRate: (campaignId: string, perSecond: number) => Promise<void>;
  /** A paused send queue hands no job to any worker; resuming lets the queued ones go on. */
  pause: (campaignId: string) => Promise<void>;
  resume: (campaignId: string) => Promise<void>;
  /** Throws the campaign's waiting send jobs away (cancelled). */
  stop: (campaignId: string) => Promise<void>;
  /** Its stats changed: consoles hear them within about a second, many changes making one push. */
  statsChanged: (campaignId: string) => Promise<void>;
};

/** Something happened that may enrol the customer in automations; `occurrence` makes it one enrollment per automation. */
export type AutomationTrigger = {
  type: 'customer.created' | 'conversation.resolved' | 'order.placed';
  customerId: string;
  /** The customer, the resolved conversation, or the order. */
  occurrence: string;
  conversationId?: string;
};

/** The queue of automated campaigns (server/automationQueues.ts). */
export type AutomationQueues = {
  /** Enrols the customer in the enabled automations of this trigger; each occurrence is enqueued once. */
  trigger: (event: AutomationTrigger) => Promise<void>;
  /** Runs the enrollment's step `step` at `at` (a delayed job whose id is the enrollment and step). */
  step: (enrollmentId: string, step: number, at: Date) => Promise<void>;
};

export type SlaCheck = {
  conversationId: string;
  target: 'first_response' | 'resolution';
  stage: 'warning' | 'breach';
  /** The deadline the check was scheduled for: a check whose deadline has since moved does nothing. */
  dueAt: string;
};

export type DomainSettings = {
  messageMaxLength: number;
  /** The most one customer attribute's value may take, as JSON. */
  attributeMaxBytes: number;
  /** The country assumed for phone numbers written without +country code. */
  defaultPhoneRegion: string | undefined;
  /** SLA targets per priority, business hours, when warnings fire. */
  sla: Config['sla'];
};

export const domainSettings = (config: Config): DomainSettings => ({
  messageMaxLength: config.messageMaxLength,
  attributeMaxBytes: config.crm.attributeMaxBytes,
  defaultPhoneRegion: config.crm.defaultPhoneRegion,
  sla: config.sla,
});
