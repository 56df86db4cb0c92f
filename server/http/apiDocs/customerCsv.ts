import type { ApiSection } from './parts';

/** Customers in and out as CSV. */
export const customerCsvApi: ApiSection = {
  schemas: {},
  paths: {},
};
