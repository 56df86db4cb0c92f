-- Canned responses: replies agents insert by typing /shortcut in the console. Admins write them.
CREATE TABLE canned_responses (
  id          text PRIMARY KEY,
  shortcut    text NOT NULL UNIQUE CHECK (shortcut ~ '^[a-z0-9_-]{1,32}$'),
  title       text NOT NULL,
  -- May hold {{customer.name}} and {{agent.name}}, which the console fills in when inserting.
  body        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
