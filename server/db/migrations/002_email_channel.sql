-- The email channel: what an email message keeps beyond its visible text, threading, delivery.

ALTER TABLE messages
  ADD COLUMN subject text,
  -- The whole plain text, quoted history included (body holds only the new, visible text).
  ADD COLUMN text_full text,
  -- Sanitized HTML, safe to render in the console.
  ADD COLUMN html text,
  -- RFC 5322 Message-ID with angle brackets: received, or generated for what we send.
  ADD COLUMN email_message_id text,
  -- Auto-replies and bulk mail: stored, but never answered automatically.
  ADD COLUMN automated boolean NOT NULL DEFAULT false,
  ADD COLUMN delivery_status text CHECK (delivery_status IN ('queued', 'sent', 'failed')),
  ADD COLUMN delivery_error text;
CREATE INDEX messages_email_message_id_idx ON messages (email_message_id) WHERE email_message_id IS NOT NULL;

-- The token in support+<token>@… Reply-To addresses, for mail clients that drop threading headers.
ALTER TABLE conversations ADD COLUMN reply_token text;
CREATE UNIQUE INDEX conversations_reply_token_key ON conversations (reply_token) WHERE reply_token IS NOT NULL;

CREATE TABLE attachments (
  id            text PRIMARY KEY,
  message_id    text NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  filename      text NOT NULL,
  content_type  text NOT NULL,
  size_bytes    bigint NOT NULL,
  sha256        text NOT NULL,
  -- Content-addressed path under FILES_DIR: the same file received twice is stored once.
  storage_key   text NOT NULL,
  content_id    text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_message_idx ON attachments (message_id);
