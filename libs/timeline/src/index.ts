export * from './timeline-record';
export * from './normalise';
export * from './timeline-view';
export * from './episodes';
export * from './timeline-store';
export * from './london-time';
export * from './deterministic-id';
export * from './timeline-bulk-load';
