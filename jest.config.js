/** Root Jest config: one project per workspace that has tests. */
module.exports = {
  projects: ['<rootDir>/shared', '<rootDir>/service'],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/tools/jest-summary-reporter.js'],
};
