import type { Database } from '../db/database';
import type { Conversation } from './conversations';
import type { Message } from './messages';

/** What happened, told to the live consoles and widgets after the transaction commits. */
export type HubEvent =
  | { type: 'conversation:new'; conversation: Conversation }
  | { type: 'conversation:updated'; conversation: Conversation }
  | { type: 'message:new'; message: Message }
  | { type: 'message:updated'; message: Message };

/** Everything a domain function may touch, passed in explicitly. */
export type DomainContext = {
  db: Database;
  publish: (events: HubEvent[]) => void;
  /** Background work, enqueued after commit; each job is keyed so it is enqueued once. */
  queues: { emailOut: (messageId: string) => Promise<void> };
  now: () => Date;
  limits: { messageMaxLength: number };
};
