export * from './postgres/test-database';
export * from './wait-for';
export * from './kafka';
export * from './cli/run-hub';
export { freePort } from '@hub/database';
