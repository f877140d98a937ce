export { ContractRegistry } from './contract-registry';
export type { ContractViolation } from './contract-violation';
export { findContractsDir } from './contract-files';
export { readFixtureSets, type Fixture, type FixtureSet, type InvalidFixture } from './contract-fixtures';
