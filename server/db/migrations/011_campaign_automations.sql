-- Automated campaigns: a trigger, an optional segment, and a sequence of steps with waits between.
-- Each step is a campaign of its own (automation_id set) whose recipients are added one at a time
-- as enrollments reach it, and sent by the same send worker as any campaign, so claims, suppression,
-- tracking, List-Unsubscribe, stats and the timeline hold for automated mail too.

CREATE TABLE automations (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  trigger_type    text NOT NULL CHECK (trigger_type IN ('customer.created', 'conversation.resolved', 'order.placed', 'inactivity')),
  -- Inactivity only: how many days without activity enrol a customer.
  inactivity_days integer CHECK (inactivity_days BETWEEN 1 AND 3650),
  -- Only customers in the segment (when set) are enrolled.
  segment_id      text REFERENCES segments (id) ON DELETE RESTRICT,
  enabled         boolean NOT NULL DEFAULT true,
  -- Inactivity only: crossings of the threshold up to here have been enrolled (see automationEnrollment.ts).
  inactivity_checked_at timestamptz,
  created_by      text REFERENCES agents (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((trigger_type = 'inactivity') = (inactivity_days IS NOT NULL))
);
CREATE INDEX automations_list_idx ON automations (created_at DESC, id DESC);
CREATE INDEX automations_trigger_idx ON automations (trigger_type) WHERE enabled;

-- A step's campaign; an edited step gets a new campaign (a new version) and the old one finishes
-- what it had queued. Deleting the automation deletes its campaigns, current and past.
ALTER TABLE campaigns ADD COLUMN automation_id text REFERENCES automations (id) ON DELETE CASCADE;
CREATE INDEX campaigns_automation_idx ON campaigns (automation_id) WHERE automation_id IS NOT NULL;

-- The current steps, in order. delay_seconds: after the trigger (step 0) or after the previous step.
CREATE TABLE automation_steps (
  automation_id  text NOT NULL REFERENCES automations (id) ON DELETE CASCADE,
  position       integer NOT NULL CHECK (position >= 0),
  delay_seconds  integer NOT NULL CHECK (delay_seconds >= 0),
  campaign_id    text NOT NULL UNIQUE REFERENCES campaigns (id) ON DELETE CASCADE,
  PRIMARY KEY (automation_id, position)
);

-- One customer going through one automation for one trigger occurrence (the customer, the
-- resolved conversation, the order, or the inactive spell). bigint ids: the daily inactivity run
-- makes them in bulk, by SQL.
CREATE TABLE automation_enrollments (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  automation_id   text NOT NULL REFERENCES automations (id) ON DELETE CASCADE,
  customer_id     text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  occurrence      text NOT NULL,
  -- conversation.resolved: the conversation a survey rates.
  conversation_id text REFERENCES conversations (id) ON DELETE SET NULL,
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'stopped')),
  stop_reason     text CHECK (stop_reason IN ('replied', 'unsubscribed', 'disabled', 'erased')),
  -- The step to run next, and when.
  next_step       integer NOT NULL DEFAULT 0,
  next_step_at    timestamptz NOT NULL,
  enrolled_at     timestamptz NOT NULL,
  finished_at     timestamptz,
  UNIQUE (automation_id, customer_id, occurrence),
  CHECK ((status = 'stopped') = (stop_reason IS NOT NULL))
);
-- "Stop this customer's sequences" on every inbound message: a probe that usually finds nothing.
CREATE INDEX automation_enrollments_active_idx ON automation_enrollments (customer_id) WHERE status = 'active';
CREATE INDEX automation_enrollments_automation_idx ON automation_enrollments (automation_id, status);

-- A step's recipient belongs to an enrollment: the same customer may get a step once per enrollment
-- (two orders, two resolved conversations), so campaign and customer are unique only for campaigns
-- planned from a segment.
ALTER TABLE campaign_recipients ADD COLUMN enrollment_id bigint REFERENCES automation_enrollments (id) ON DELETE CASCADE;
ALTER TABLE campaign_recipients DROP CONSTRAINT campaign_recipients_campaign_id_customer_id_key;
CREATE UNIQUE INDEX campaign_recipients_planned_key ON campaign_recipients (campaign_id, customer_id) WHERE enrollment_id IS NULL;
CREATE UNIQUE INDEX campaign_recipients_enrollment_key ON campaign_recipients (enrollment_id, campaign_id) WHERE enrollment_id IS NOT NULL;
