-- Workers: what classification learned about a conversation, how it is routed, and its SLA.

ALTER TABLE conversations
  ADD COLUMN language text,
  -- -1 (angry) .. 1 (happy), from the latest classified customer message.
  ADD COLUMN sentiment real,
  ADD COLUMN urgent boolean NOT NULL DEFAULT false,
  -- 'agent' when an agent set or corrected the intent: classification leaves it alone from then on.
  ADD COLUMN intent_source text CHECK (intent_source IN ('model', 'agent')),
  ADD COLUMN classified_at timestamptz,
  -- 'agent' for manual assignment and transfers, which automation never overrides.
  ADD COLUMN assigned_by text CHECK (assigned_by IN ('router', 'agent')),
  ADD COLUMN assigned_at timestamptz,
  -- When it began waiting in its team's queue (no agent free); the queue is served by priority, then age.
  ADD COLUMN queued_at timestamptz,
  ADD COLUMN first_response_breached_at timestamptz,
  ADD COLUMN resolution_breached_at timestamptz;
CREATE INDEX conversations_team_queue_idx ON conversations (team_id, queued_at, id)
  WHERE assignee_id IS NULL AND status IN ('open', 'pending');

ALTER TABLE teams
  ADD COLUMN strategy text NOT NULL DEFAULT 'least_loaded' CHECK (strategy IN ('round_robin', 'least_loaded', 'skills')),
  -- The intents this team handles; a conversation whose intent no team claims goes to the default team.
  ADD COLUMN intents text[] NOT NULL DEFAULT '{}',
  ADD COLUMN is_default boolean NOT NULL DEFAULT false,
  -- Round robin: the agent who was assigned last.
  ADD COLUMN last_assigned_agent_id text REFERENCES agents (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX teams_single_default ON teams (is_default) WHERE is_default;

-- Supervisors hear their team's SLA warnings and breaches.
ALTER TABLE team_members ADD COLUMN role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'supervisor'));

-- Skills an agent has: intents ("get_refund") and languages ("zh") the skills strategy matches.
ALTER TABLE agents ADD COLUMN skills text[] NOT NULL DEFAULT '{}';

-- Agents' corrections of a conversation's intent: training examples for the next model.
CREATE TABLE intent_examples (
  id               text PRIMARY KEY,
  text             text NOT NULL,
  intent           text NOT NULL,
  language         text,
  source           text NOT NULL DEFAULT 'agent' CHECK (source IN ('agent', 'import')),
  conversation_id  text REFERENCES conversations (id) ON DELETE SET NULL,
  agent_id         text REFERENCES agents (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intent_examples_created_idx ON intent_examples (created_at);
