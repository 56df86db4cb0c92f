import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { HubError } from './errors';

export const identityKinds = ['email', 'phone', 'visitor', 'external'] as const;
export type IdentityKind = (typeof identityKinds)[number];
export type Identity = { kind: IdentityKind; value: string };

const MAX_IDENTITY_LENGTH = 320;
const emailSchema = z.email().max(MAX_IDENTITY_LENGTH);

/**
 * The canonical spelling of an identity, so one person never becomes two customers: emails
 * trimmed and lower-cased, phones in E.164 (+8613800138000). A value that cannot be an identity of
 * its kind is refused here, before anything is written.
 */
export function normalizeIdentity(identity: Identity, defaultPhoneRegion?: string): Identity {
  const value = identity.value.trim();
  switch (identity.kind) {
    case 'email': {
      const email = value.toLowerCase();
      if (!emailSchema.safeParse(email).success) throw new HubError('invalid_email', `${JSON.stringify(identity.value)} is not an email address`);
      return { kind: 'email', value: email };
    }
    case 'phone':
      return { kind: 'phone', value: toE164(value, defaultPhoneRegion) };
    default:
      if (value.length === 0 || value.length > MAX_IDENTITY_LENGTH) {
        throw new HubError('validation_failed', `An ${identity.kind} id must have 1 to ${MAX_IDENTITY_LENGTH} characters`);
      }
      return { kind: identity.kind, value };
  }
}

function toE164(value: string, defaultPhoneRegion: string | undefined): string {
  // "00" is the international call prefix in most of the world: 0044… is +44….
  const international = value.replace(/^00(?=[1-9])/, '+');
  const parsed = parsePhoneNumberFromString(international, defaultPhoneRegion as CountryCode | undefined);
  // Possible rather than valid: numbering plans change faster than the metadata we ship.
  if (!parsed?.isPossible()) {
    const hint = defaultPhoneRegion ? '' : ' (write it with its +country code, or set DEFAULT_PHONE_REGION)';
    throw new HubError('invalid_phone', `${JSON.stringify(value)} is not a phone number${hint}`);
  }
  return parsed.number;
}

/** Two spellings of one identity are one identity; the first given keeps its place. */
export function distinctIdentities(identities: readonly Identity[]): Identity[] {
  return identities.filter(
    (identity, index) => identities.findIndex((other) => other.kind === identity.kind && other.value === identity.value) === index,
  );
}
