import type { ApiSection } from './parts';

/** Orders and the per-customer metrics they feed. */
export const ordersApi: ApiSection = {
  schemas: {},
  paths: {},
};
