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
  | { type: 'customer:merged'; mergeId: string; sourceId: string; targetId: string };

/** Everything a domain function may touch, passed in explicitly. */
export type DomainContext = {
  db: Database;
  publish: (events: HubEvent[]) => void;
  /** Background work, enqueued after commit; each job is keyed so it is enqueued once. */
  queues: {
    emailOut: (messageId: string) => Promise<void>;
    /** Asks for the RFM scores to be recomputed soon; many asks within the delay make one run. */
    recomputeRfm: () => Promise<void>;
  };
  now: () => Date;
  settings: DomainSettings;
};

export type DomainSettings = {
  messageMaxLength: number;
  /** The most one customer attribute's value may take, as JSON. */
  attributeMaxBytes: number;
  /** The country assumed for phone numbers written without +country code. */
  defaultPhoneRegion: string | undefined;
};

export const domainSettings = (config: Config): DomainSettings => ({
  messageMaxLength: config.messageMaxLength,
  attributeMaxBytes: config.crm.attributeMaxBytes,
  defaultPhoneRegion: config.crm.defaultPhoneRegion,
});
