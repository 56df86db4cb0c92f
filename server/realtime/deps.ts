import type { Logger } from 'pino';
import type { DomainContext } from '../domain/context';
import type { InFlight } from '../inFlight';

export type RealtimeDeps = {
  domain: DomainContext;
  log: Logger;
  inFlight: InFlight;
  secretKey: string;
  /** Verifies identities a site vouches for (visitor:identify's hash); unset means none are trusted. */
  widgetIdentitySecret: string | undefined;
};
