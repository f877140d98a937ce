export * from './kafka-cloud-event';
export * from './rejected-record';
export * from './ingest-receipts';
export * from './inbound-consumer';
