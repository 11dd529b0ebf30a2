/** @type {import('jest').Config} */
module.exports = {
  displayName: 'service',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  moduleNameMapper: { '^@cartback/shared$': '<rootDir>/../shared/src/index.ts' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
};
