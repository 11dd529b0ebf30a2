/** Root Jest config: one project per workspace that has tests. */
module.exports = {
  projects: ['<rootDir>/shared', '<rootDir>/service'],
  reporters: ['default', '<rootDir>/tools/jest-summary-reporter.js'],
};
