-- The website chat widget: its look per widget key, agents' avatars, read receipts, files a
-- visitor uploads before sending them, satisfaction ratings, and chats that continue by email.

CREATE TABLE widget_settings (
  -- The embed's data-widget-key; 'default' serves every page that names no (or an unknown) key.
  key         text PRIMARY KEY,
  colors      jsonb NOT NULL,
  greeting    jsonb NOT NULL,
  pre_chat    jsonb NOT NULL,
  language    text NOT NULL DEFAULT 'auto' CHECK (language IN ('auto', 'en', 'zh')),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO widget_settings (key, colors, greeting, pre_chat, language) VALUES (
  'default',
  '{"primary": "#2563eb", "onPrimary": "#ffffff"}',
  '{"en": "Hi! How can we help you today?", "zh": "您好！有什么可以帮您？"}',
  '{"name": "off", "email": "off"}',
  'auto'
);

ALTER TABLE agents ADD COLUMN avatar_url text;

ALTER TABLE conversations
  -- Nobody was online when the visitor wrote: agents' replies also go to the customer's email.
  ADD COLUMN continue_by_email boolean NOT NULL DEFAULT false,
  -- The latest message each side has seen; they only move forward.
  ADD COLUMN customer_read_upto text REFERENCES messages (id) ON DELETE SET NULL,
  ADD COLUMN agent_read_upto text REFERENCES messages (id) ON DELETE SET NULL;

-- A widget upload waits, owned by its customer, until a message names it.
ALTER TABLE attachments
  ADD COLUMN uploaded_by_customer_id text REFERENCES customers (id) ON DELETE CASCADE,
  DROP CONSTRAINT attachments_owner_check,
  ADD CONSTRAINT attachments_owner_check CHECK (
    (message_id IS NOT NULL AND form_submission_id IS NULL)
    OR (message_id IS NULL AND form_submission_id IS NOT NULL)
    OR (message_id IS NULL AND form_submission_id IS NULL AND uploaded_by_customer_id IS NOT NULL)
  );
CREATE INDEX attachments_uploader_idx ON attachments (uploaded_by_customer_id) WHERE uploaded_by_customer_id IS NOT NULL;

CREATE TABLE csat_ratings (
  conversation_id  text PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
  customer_id      text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  rating           smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment          text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX csat_ratings_created_idx ON csat_ratings (created_at);
