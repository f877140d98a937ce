export * from './outbound-event';
export * from './outbox';
export * from './outbox-relay';
