export * from './projection';
export * from './projection-registry';
export * from './checkpoint-store';
export * from './projection-runner';
export * from './rebuild';
export const projectionsSqlFolder = `${__dirname}/../sql`;
