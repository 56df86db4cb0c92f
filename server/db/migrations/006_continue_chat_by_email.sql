-- A visitor may leave their email for an answer by email before they have written anything:
-- the wish waits on the customer and goes to their next chat conversation.
ALTER TABLE customers ADD COLUMN continue_chat_by_email boolean NOT NULL DEFAULT false;
