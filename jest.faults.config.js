// `npm run test:faults`: the fault-injection and bad-input suites (test/faults/*.faults.spec.ts).
// Not among `npm test`'s projects: these start processes, brokers and PostgreSQL servers of their
// own and kill them; CI runs them as a step of their own after `npm test`.
const base = require('./jest.config.js');

const e2e = base.projects.find((project) => project.displayName === 'e2e');
module.exports = {
  testTimeout: 300_000,
  projects: [{ ...e2e, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.faults.spec.ts'] }],
};
