/** @type {import('jest').Config} The browser tests: the unit/integration config, on test/e2e, one Chromium at a time. */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/e2e'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 60000,
};
