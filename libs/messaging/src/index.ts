export * from './message-bus.port';
export * from './bus-logger';
export * from './backoff';
export { InProcessMessageBus, type InProcessBusOptions } from './in-process/in-process-bus';
export { KafkaMessageBus, type KafkaBusOptions, type KafkaCredentials } from './kafka/kafka-bus';
export * from './hub-topics';
