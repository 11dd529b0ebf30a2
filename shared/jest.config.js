/** @type {import('jest').Config} */
module.exports = {
  displayName: 'shared',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // CARTBACK_TEST_CLOCK=HH:MM starts each test file at that time of day (tools/jest-clock.js).
  setupFiles: ['<rootDir>/../tools/jest-clock.js'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  moduleNameMapper: { '^@cartback/shared$': '<rootDir>/../shared/src/index.ts' },
};
