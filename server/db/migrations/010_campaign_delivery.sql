-- Campaign delivery: who a campaign goes to (one row per campaign and customer), what each
-- recipient did with it, and the addresses that must never get marketing mail again.

-- Addresses (trimmed, lower-cased) no campaign mails. Kept without a foreign key to the customer:
-- an unsubscribe outlives merges and erasures.
CREATE TABLE suppressions (
  email        text PRIMARY KEY,
  reason       text NOT NULL CHECK (reason IN ('unsubscribed', 'bounced', 'complained', 'manual')),
  campaign_id  text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppressions_created_idx ON suppressions (created_at DESC, email);

-- Materialised by the planner in one INSERT … SELECT; bigint ids because rows are made in bulk by SQL.
-- status: queued -> sending (claimed, with a lease, just before SMTP) -> sent | failed; sent -> bounced;
-- skipped at planning (no email, suppressed) or at the claim (suppressed since, erased, cancelled).
CREATE TABLE campaign_recipients (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  campaign_id   text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  customer_id   text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  -- The address chosen when the campaign started; later identity changes do not redirect it.
  email         text,
  status        text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'bounced', 'skipped')),
  skip_reason   text CHECK (skip_reason IN ('no_email', 'suppressed', 'erased', 'cancelled')),
  -- Set at the first claim and kept for every attempt: a resend after a crash carries the same one.
  message_id    text UNIQUE,
  lease_until   timestamptz,
  attempts      integer NOT NULL DEFAULT 0,
  error         text,
  sent_at       timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, customer_id),
  CHECK ((status = 'skipped') = (skip_reason IS NOT NULL))
);
-- Stats, "anything left to send?" and recipient pages by status.
CREATE INDEX campaign_recipients_status_idx ON campaign_recipients (campaign_id, status, id);
CREATE INDEX campaign_recipients_customer_idx ON campaign_recipients (customer_id);

-- What recipients did: each kind once per recipient, each link's click once.
CREATE TABLE campaign_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  campaign_id   text NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  recipient_id  bigint NOT NULL REFERENCES campaign_recipients (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('opened', 'clicked', 'unsubscribed', 'bounced')),
  -- The clicked URL; '' for the other kinds, so the unique key needs no NULL handling.
  link          text NOT NULL DEFAULT '',
  at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (recipient_id, kind, link)
);
CREATE INDEX campaign_events_campaign_idx ON campaign_events (campaign_id, kind);
