-- The CRM core: searchable customers with order metrics, merges and erasures kept for audit,
-- agents' notes, web forms and their submissions, and orders.

ALTER TABLE customers
  -- Set when the customer was merged into another: the row stays as a pointer to the survivor.
  ADD COLUMN merged_into_id text REFERENCES customers (id) ON DELETE CASCADE,
  ADD COLUMN erased_at timestamptz,
  ADD COLUMN order_count integer NOT NULL DEFAULT 0,
  ADD COLUMN lifetime_value numeric(14, 2) NOT NULL DEFAULT 0,
  -- All of a customer's orders share one currency, so the lifetime value is one honest number.
  ADD COLUMN currency text,
  ADD COLUMN first_order_at timestamptz,
  ADD COLUMN last_order_at timestamptz,
  ADD COLUMN rfm_recency smallint,
  ADD COLUMN rfm_frequency smallint,
  ADD COLUMN rfm_monetary smallint,
  ADD COLUMN rfm_segment text,
  ADD COLUMN rfm_computed_at timestamptz;
CREATE INDEX customers_created_idx ON customers (created_at DESC, id DESC);
CREATE INDEX customers_name_idx ON customers (lower(coalesce(name, '')), id);
CREATE INDEX customers_value_idx ON customers (lifetime_value DESC, id DESC);
CREATE INDEX customers_last_order_idx ON customers (last_order_at DESC NULLS LAST, id DESC);
CREATE INDEX customers_tags_idx ON customers USING gin (tags);
CREATE INDEX customers_attributes_idx ON customers USING gin (attributes jsonb_path_ops);
CREATE INDEX customers_name_search_idx ON customers USING gin (to_tsvector('simple', coalesce(name, '')));
CREATE INDEX messages_body_search_idx ON messages USING gin (to_tsvector('simple', body));
-- Prefix search over emails, phones and external ids (LIKE 'ali%'), whatever the database collation.
CREATE INDEX customer_identities_value_prefix_idx ON customer_identities (value text_pattern_ops);
CREATE INDEX timeline_events_reference_idx ON timeline_events (reference) WHERE reference IS NOT NULL;

-- Deleting a customer deletes everything held about them.
ALTER TABLE conversations
  DROP CONSTRAINT conversations_customer_id_fkey,
  ADD CONSTRAINT conversations_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;
ALTER TABLE messages
  DROP CONSTRAINT messages_customer_id_fkey,
  ADD CONSTRAINT messages_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;

-- Audit records: no foreign keys, so they outlive the customers they describe.
CREATE TABLE customer_merges (
  id               text PRIMARY KEY,
  source_id        text NOT NULL,
  target_id        text NOT NULL,
  agent_id         text,
  -- What the merged customer was (name, attributes, tags, identities) and how many rows moved.
  source_snapshot  jsonb NOT NULL,
  moved            jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_merges_target_idx ON customer_merges (target_id, created_at DESC);
CREATE INDEX customer_merges_source_idx ON customer_merges (source_id);

CREATE TABLE customer_erasures (
  id           text PRIMARY KEY,
  customer_id  text NOT NULL,
  agent_id     text,
  reason       text,
  erased       jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_erasures_customer_idx ON customer_erasures (customer_id);

-- Agents' internal notes: never part of what the customer sees.
CREATE TABLE notes (
  id               text PRIMARY KEY,
  customer_id      text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  conversation_id  text REFERENCES conversations (id) ON DELETE CASCADE,
  agent_id         text REFERENCES agents (id) ON DELETE SET NULL,
  body             text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_customer_idx ON notes (customer_id, created_at DESC, id DESC);
CREATE INDEX notes_conversation_idx ON notes (conversation_id, created_at, id) WHERE conversation_id IS NOT NULL;

CREATE TABLE forms (
  id                  text PRIMARY KEY,
  -- The public key in POST /api/forms/:formKey.
  key                 text NOT NULL UNIQUE,
  name                text NOT NULL,
  allowed_origins     text[] NOT NULL DEFAULT '{}',
  -- Which submitted field holds the name, email, phone, message and subject.
  field_map           jsonb NOT NULL DEFAULT '{}'::jsonb,
  opens_conversation  boolean NOT NULL DEFAULT true,
  redirect_url        text,
  honeypot_field      text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE form_submissions (
  id               text PRIMARY KEY,
  form_id          text REFERENCES forms (id) ON DELETE SET NULL,
  customer_id      text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  conversation_id  text REFERENCES conversations (id) ON DELETE SET NULL,
  message_id       text REFERENCES messages (id) ON DELETE SET NULL,
  -- The caller's Idempotency-Key: a retried submission is stored once.
  client_id        text,
  fields           jsonb NOT NULL,
  origin           text,
  ip               text,
  user_agent       text,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX form_submissions_customer_idx ON form_submissions (customer_id, created_at DESC);
CREATE INDEX form_submissions_form_idx ON form_submissions (form_id, created_at DESC);
CREATE UNIQUE INDEX form_submissions_client_key ON form_submissions (form_id, client_id) WHERE client_id IS NOT NULL;

-- A file sent with a form that opens no conversation belongs to the submission, not a message.
ALTER TABLE attachments
  ALTER COLUMN message_id DROP NOT NULL,
  ADD COLUMN form_submission_id text REFERENCES form_submissions (id) ON DELETE CASCADE,
  ADD CONSTRAINT attachments_owner_check CHECK ((message_id IS NULL) <> (form_submission_id IS NULL));
CREATE INDEX attachments_submission_idx ON attachments (form_submission_id) WHERE form_submission_id IS NOT NULL;

CREATE TABLE orders (
  id           text PRIMARY KEY,
  customer_id  text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  -- The system the order comes from; its number is unique within that source.
  source       text NOT NULL DEFAULT 'default',
  number       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'paid', 'fulfilled', 'cancelled', 'refunded')),
  currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  total        numeric(14, 2) NOT NULL CHECK (total >= 0),
  items        jsonb NOT NULL,
  placed_at    timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, number)
);
CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at DESC, id DESC);
