// Test levels are named by suffix: *.unit.spec.ts, *.int.spec.ts, *.e2e.spec.ts.
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  moduleNameMapper: {
    '^@hub/(hub|projector)$': '<rootDir>/apps/$1/src/index.ts',
    '^@hub/([^/]+)$': '<rootDir>/libs/$1/src/index.ts',
  },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  rootDir: __dirname,
};
module.exports = {
  // Integration and e2e tests start real services and processes; unit tests finish in milliseconds anyway.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,apps,test}/**/*.unit.spec.ts'] },
    {
      ...common, displayName: 'integration', testMatch: ['<rootDir>/{libs,apps,test}/**/*.int.spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
    },
    {
      ...common, displayName: 'e2e', testMatch: ['<rootDir>/{libs,apps,test}/**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
    },
  ],
};
