import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Conversation } from './conversations';
import type { Message } from './messages';

/** What happened, told to the live consoles and widgets after the transaction commits. */
export type HubEvent =
  | { type: 'conversation:new'; conversation: Conversation }
  | { type: 'conversation:updated'; conversation: Conversation }
  | { type: 'message:new'; message: Message }
  | { type: 'message:updated'; message: Message }
  | { type: 'customer:merged'; mergeId: string; sourceId: string; targetId: string }
  /** The router (or an agent) gave this conversation to this agent. */
  | { type: 'conversation:assigned'; conversation: Conversation; agentId: string }
  /** An SLA target is close (warning) or missed (breached); told to these agents (supervisors, assignee). */
  | { type: 'sla:alert'; alert: SlaAlert; agentIds: string[] }
  /** Where a waiting customer's conversation stands in its team's queue (1 = next). */
  | { type: 'queue:position'; customerId: string; conversationId: string; position: number | null }
  /** One side of a chat has seen the other's messages up to upToId. */
  | { type: 'messages:read'; receipt: ReadReceipt };

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
  };
  now: () => Date;
  settings: DomainSettings;
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
