export * from './ingest-outcome';
export * from './check-event';
export * from './ingest-pipeline';
export * from './ndjson';
export * from './ingest-events/ingest-events.command';
export * from './ingest-events/ingest-events.handler';
export * from './unstorable-text';
