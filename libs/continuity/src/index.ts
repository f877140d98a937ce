export * from './continuity.rules';
export * from './continuity-facts';
export * from './continuity-tables';
export * from './continuity.projection';
export * from './continuity-report';
export * from './continuity-queries';
export * from './linked-birth-date';
export * from './continuity-csv';
