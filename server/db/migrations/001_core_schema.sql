-- The core of the hub: who the customers are, what they said, who answers.
-- Ids are prefixed, time-sortable text (cus_…, cnv_…, msg_…); timestamps are timestamptz in UTC.

CREATE TABLE teams (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX teams_name_key ON teams (lower(name));

CREATE TABLE agents (
  id             text PRIMARY KEY,
  email          text NOT NULL,
  name           text NOT NULL,
  password_hash  text NOT NULL,
  role           text NOT NULL DEFAULT 'agent' CHECK (role IN ('admin', 'agent')),
  capacity       integer NOT NULL DEFAULT 5 CHECK (capacity >= 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX agents_email_key ON agents (lower(email));

CREATE TABLE team_members (
  team_id   text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  agent_id  text NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, agent_id)
);
CREATE INDEX team_members_agent_idx ON team_members (agent_id);

CREATE TABLE customers (
  id          text PRIMARY KEY,
  name        text,
  attributes  jsonb NOT NULL DEFAULT '{}'::jsonb,
  tags        text[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customer_identities (
  id           text PRIMARY KEY,
  customer_id  text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('email', 'phone', 'visitor', 'external')),
  value        text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, value)
);
CREATE INDEX customer_identities_customer_idx ON customer_identities (customer_id);

CREATE TABLE conversations (
  id                     text PRIMARY KEY,
  customer_id            text NOT NULL REFERENCES customers (id),
  channel                text NOT NULL CHECK (channel IN ('chat', 'email', 'form')),
  status                 text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
  priority               text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  subject                text,
  intent                 text,
  intent_confidence      real,
  team_id                text REFERENCES teams (id) ON DELETE SET NULL,
  assignee_id            text REFERENCES agents (id) ON DELETE SET NULL,
  first_response_due_at  timestamptz,
  resolution_due_at      timestamptz,
  first_response_at      timestamptz,
  resolved_at            timestamptz,
  last_message_at        timestamptz NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_inbox_idx ON conversations (last_message_at DESC, id DESC);
CREATE INDEX conversations_status_idx ON conversations (status, last_message_at DESC, id DESC);
CREATE INDEX conversations_assignee_idx ON conversations (assignee_id, status);
CREATE INDEX conversations_customer_idx ON conversations (customer_id, channel, status);

CREATE TABLE messages (
  id               text PRIMARY KEY,
  -- Commit order within one customer (ingest and replies lock the customer row first), so
  -- "everything after message X" is a plain range scan that cannot skip a late commit.
  seq              bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  conversation_id  text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  customer_id      text NOT NULL REFERENCES customers (id),
  channel          text NOT NULL CHECK (channel IN ('chat', 'email', 'form')),
  direction        text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  author_kind      text NOT NULL CHECK (author_kind IN ('customer', 'agent', 'system')),
  author_id        text,
  body             text NOT NULL,
  -- The sender's own id for the message (widget client id, email Message-ID): the dedup key.
  external_id      text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, seq);
CREATE INDEX messages_customer_idx ON messages (customer_id, seq);
CREATE UNIQUE INDEX messages_external_key ON messages (author_kind, author_id, external_id)
  WHERE external_id IS NOT NULL;

CREATE TABLE timeline_events (
  id           text PRIMARY KEY,
  customer_id  text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  at           timestamptz NOT NULL,
  kind         text NOT NULL,
  reference    text,
  data         jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX timeline_events_customer_at_idx ON timeline_events (customer_id, at DESC, id DESC);
