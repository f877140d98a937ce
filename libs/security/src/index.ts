export * from './master-key';
export * from './auth-error';
export * from './token-service';
export const securitySqlFolder = `${__dirname}/../sql`;
export * from './personal-data-vault';
export * from './opt-out-register';
