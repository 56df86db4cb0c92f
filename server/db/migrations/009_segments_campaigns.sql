-- Email campaigns, part one: saved customer segments and the campaigns themselves.
-- Recipients, tracking events and suppressions come in 010.

CREATE TABLE segments (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  -- { all | any | not | { field, op, value } }, checked by server/domain/segmentFilter.ts on save.
  filter      jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX segments_name_key ON segments (lower(name));

CREATE TABLE campaigns (
  id               text PRIMARY KEY,
  name             text NOT NULL,
  -- A segment in use by a campaign cannot be deleted (segment_in_use).
  segment_id       text REFERENCES segments (id) ON DELETE RESTRICT,
  from_email       text NOT NULL,
  from_name        text NOT NULL DEFAULT '',
  subject          text NOT NULL DEFAULT '',
  html_body        text NOT NULL DEFAULT '',
  text_body        text NOT NULL DEFAULT '',
  status           text NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled')),
  scheduled_at     timestamptz,
  -- The IANA zone the schedule was written in, to show it back as the operator wrote it.
  timezone         text,
  rate_per_second  double precision NOT NULL DEFAULT 10 CHECK (rate_per_second > 0),
  rate_per_hour    integer CHECK (rate_per_hour > 0),
  -- A name from CAMPAIGN_SMTP_ACCOUNTS; NULL is the default account (SMTP_OUT_URL).
  smtp_account     text,
  created_by       text REFERENCES agents (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz
);
CREATE INDEX campaigns_list_idx ON campaigns (created_at DESC, id DESC);
CREATE INDEX campaigns_status_idx ON campaigns (status, scheduled_at);
CREATE INDEX campaigns_segment_idx ON campaigns (segment_id);

-- A customer attribute read as a time, or NULL when it is not one: a segment comparing dates
-- must skip "n/a" and 2024-02-30 rather than fail the whole query. Only ISO-looking text is
-- tried, so words PostgreSQL would read as times ('now', 'epoch') never are.
CREATE FUNCTION segment_timestamptz(value text) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF value IS NULL OR value !~ '^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-][0-9:]+)?)?$' THEN
    RETURN NULL;
  END IF;
  RETURN value::timestamptz;
EXCEPTION WHEN others THEN
  RETURN NULL;
END;
$$;
