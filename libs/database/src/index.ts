export * from './database';
export * from './sql-installer';
export * from './embedded-postgres';
export * from './storage-location';
export * from './values-list';
export * from './leadership-lock';
export * from './free-port';
export * from './table-statistics';
