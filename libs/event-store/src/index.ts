export * from './stored-event';
export * from './event-store.port';
export * from './content-hash';
export * from './postgres-event-store';
export * from './log-subscription';
