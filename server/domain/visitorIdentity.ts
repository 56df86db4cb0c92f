import { createHmac } from 'node:crypto';
import type { Queryable } from '../db/database';
import { constantTimeEqual } from './constantTimeEqual';
import type { DomainContext } from './context';
import { findActiveConversation } from './conversations';
import { mergeCustomers } from './customerMerge';
import { attachIdentities, type Customer, findOwners, getCustomer, lockLiveCustomer } from './customers';
import { HubError } from './errors';
import { distinctIdentities, type Identity, normalizeIdentity } from './identities';

/** What a widget visitor says about themselves; `hash` is the site's proof (see identityHash). */
export type IdentityClaim = {
  email?: string;
  externalId?: string;
  name?: string;
  hash?: string;
  /** Nobody is online: agents' replies to the visitor's active chat should also go to this email. */
  continueByEmail?: boolean;
};

export type IdentifyResult = {
  customer: Customer;
  /** The site vouched for the claim with a valid hash. */
  verified: boolean;
  /** The email now belongs to this customer. */
  emailLinked: boolean;
  /** The visitor's history joined a customer we already knew. */
  merged: boolean;
  /** The active chat conversation now continues by email (asked for, the email linked, a chat open). */
  continueByEmail: boolean;
};

/**
 * The HMAC-SHA256 (hex) a site computes on its server with the widget secret over the user's
 * external id, or their email when it has no id: the same scheme as Chatwoot and Intercom.
 */
export const identityHash = (secret: string, value: string) => createHmac('sha256', secret).update(value).digest('hex');

/**
 * Records who a widget visitor is. A verified claim joins the visitor's history to the customer
 * the identity belongs to; an unverified one may only take identities nobody owns, so claiming
 * someone's email never exposes their history.
 */
export async function identifyVisitor(
  ctx: DomainContext,
  visitorCustomerId: string,
  claim: IdentityClaim,
  widgetIdentitySecret: string | undefined,
): Promise<IdentifyResult> {
  const verified = claim.hash !== undefined && verifies(claim, widgetIdentitySecret);
  if (claim.externalId !== undefined && !verified) {
    throw new HubError('identity_verification_failed', 'An externalId is accepted only with the hash that proves the site vouches for it');
  }
  const claimed: Identity[] = [];
  if (claim.externalId !== undefined) claimed.push({ kind: 'external', value: claim.externalId });
  if (claim.email !== undefined) claimed.push({ kind: 'email', value: claim.email });
  const identities = distinctIdentities(claimed.map((identity) => normalizeIdentity(identity)));
  let customerId = visitorCustomerId;
  let merged = false;
  if (verified) {
    const knownId = (await findOwners(ctx.db, identities)).find((owner) => owner.customerId && owner.customerId !== visitorCustomerId)?.customerId;
    if (knownId) {
      await mergeCustomers(ctx, { targetId: knownId, sourceId: visitorCustomerId, agentId: null, reason: 'verified widget identity' });
      customerId = knownId;
      merged = true;
    }
  }
  return ctx.db.transaction(async (tx) => {
    await lockLiveCustomer(tx, customerId);
    await attachIdentities(tx, customerId, identities);
    const owners = await findOwners(tx, identities);
    const name = claim.name?.trim();
    if (name) await tx.query('UPDATE customers SET name = $2, updated_at = now() WHERE id = $1 AND name IS NULL', [customerId, name]);
    const email = owners.find((owner) => owner.identity.kind === 'email');
    const emailLinked = email?.customerId === customerId;
    const continueByEmail = claim.continueByEmail === true && emailLinked && (await markChatContinuesByEmail(tx, customerId));
    return { customer: await getCustomer(tx, customerId), verified, emailLinked, merged, continueByEmail };
  });
}

function verifies(claim: IdentityClaim, secret: string | undefined): boolean {
  if (!secret) throw new HubError('identity_verification_failed', 'Identity verification is not set up on this hub (WIDGET_IDENTITY_SECRET)');
  const signed = claim.externalId ?? claim.email;
  if (signed === undefined) throw new HubError('validation_failed', 'A hash signs an externalId or an email; give one');
  if (!constantTimeEqual(claim.hash!.toLowerCase(), identityHash(secret, signed))) {
    throw new HubError('identity_verification_failed', 'The identity hash does not match; compute it on your server with the widget secret');
  }
  return true;
}

/**
 * Marks the customer's active chat to be answered by email too; with no chat yet, their next one
 * will be (openConversation takes the wish over).
 */
async function markChatContinuesByEmail(tx: Queryable, customerId: string): Promise<boolean> {
  const chat = await findActiveConversation(tx, customerId, 'chat');
  if (chat) await tx.query('UPDATE conversations SET continue_by_email = true WHERE id = $1', [chat.id]);
  else await tx.query('UPDATE customers SET continue_chat_by_email = true WHERE id = $1', [customerId]);
  return true;
}
