export * from './projection';
export * from './projection-registry';
export * from './checkpoint-store';
export * from './projection-runner';
export * from './rebuild';
export * from './bulk-copy';
export const projectionsSqlFolder = `${__dirname}/../sql`;
