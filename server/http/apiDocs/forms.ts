import type { ApiSection } from './parts';

/** Web forms: their configuration and the public submission route. */
export const formsApi: ApiSection = {
  schemas: {},
  paths: {},
};
