/**
 * `npm run test:resilience`: faults, restarts and load against the built service (`node dist/index.js`
 * as a child process), kept out of `npm test` by their own file suffix. Same transform and global
 * setup/teardown as jest.config.js; one file at a time, because each scenario measures timings and
 * memory of its own child processes and must not share the 2 cores with another.
 */
const base = require('./jest.config');

module.exports = {
  testEnvironment: base.testEnvironment,
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  globalSetup: base.globalSetup,
  globalTeardown: base.globalTeardown,
  roots: ['<rootDir>/test/resilience'],
  testMatch: ['**/*.resilience-spec.ts'],
  // A hard bound per test and hook; a scenario takes 10-60 s, an app start on a machine shared with
  // other work can take half a minute (rolling-restart starts four).
  testTimeout: 300_000,
  maxWorkers: 1,
};
