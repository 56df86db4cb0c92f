-- The agent console's inbox: tags, snoozing and merged conversations, and what it sorts by.

ALTER TABLE conversations
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
  -- Pending until then; a delayed job (or a customer message) reopens it.
  ADD COLUMN snoozed_until timestamptz,
  -- A duplicate merged into another conversation: closed, its messages and notes moved there.
  ADD COLUMN merged_into_id text REFERENCES conversations (id) ON DELETE SET NULL,
  -- The oldest customer message no agent has answered yet (null once an agent answers). Kept as
  -- messages arrive, so "waiting longest" sorts a big inbox from an index instead of from messages.
  -- Milliseconds, as clients see it: a page cursor holding it then names the row exactly.
  ADD COLUMN waiting_since timestamptz(3);

UPDATE conversations cv
   SET waiting_since = (
     SELECT min(m.created_at) FROM messages m
      WHERE m.conversation_id = cv.id AND m.direction = 'inbound'
        AND m.seq > COALESCE((SELECT max(a.seq) FROM messages a WHERE a.conversation_id = cv.id AND a.author_kind = 'agent'), 0));

-- The inbox's priority sort (urgent first, then waiting longest) over the conversations still going.
CREATE INDEX conversations_priority_idx ON conversations (
  (CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END),
  (COALESCE(waiting_since, 'infinity'::timestamptz)),
  id
) WHERE status IN ('open', 'pending');
CREATE INDEX conversations_team_idx ON conversations (team_id, last_message_at DESC, id DESC) WHERE team_id IS NOT NULL;
CREATE INDEX conversations_tags_idx ON conversations USING gin (tags);
CREATE INDEX conversations_snoozed_idx ON conversations (snoozed_until) WHERE snoozed_until IS NOT NULL;

-- Unread counts: the customer's messages after the agents' read mark.
CREATE INDEX messages_inbound_idx ON messages (conversation_id, seq) WHERE direction = 'inbound';

-- Who an agent's email reply also went to (its Cc header).
ALTER TABLE messages ADD COLUMN email_cc text[];
