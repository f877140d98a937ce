import { kafkaSettingsFromEnv } from './kafka-mode';

describe('server mode Kafka settings from the environment', () => {
  it('are absent without KAFKA_BROKERS: the hub then runs without Kafka', () => {
    expect(kafkaSettingsFromEnv({})).toBeUndefined();
    expect(kafkaSettingsFromEnv({ KAFKA_BROKERS: ' , ' })).toBeUndefined();
  });

  it('default to the cdp prefix, 3 inbound partitions, 2 at once, a 30 s session, plaintext', () => {
    const settings = kafkaSettingsFromEnv({ KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092' })!;
    expect(settings).toMatchObject({ brokers: ['kafka-1:9092', 'kafka-2:9092'], inboundPartitions: 3, partitionConcurrency: 2, sessionTimeoutMs: 30_000, ssl: false });
    expect(settings.topics.inbound('police-northshire')).toBe('cdp.inbound.police-northshire');
    expect(settings.sasl).toBeUndefined();
  });

  it('take TLS and SASL credentials for a managed cluster', () => {
    const settings = kafkaSettingsFromEnv({
      KAFKA_BROKERS: 'b:9093', KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'hub', KAFKA_SASL_PASSWORD: 's3cret',
    })!;
    expect(settings).toMatchObject({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'hub', password: 's3cret' } });
  });

  it('refuse what they cannot use, naming the variable and the value', () => {
    expect(() => kafkaSettingsFromEnv({ KAFKA_BROKERS: 'b:9092', HUB_KAFKA_PARTITION_CONCURRENCY: 'two' })).toThrow('HUB_KAFKA_PARTITION_CONCURRENCY: "two" is not a positive whole number');
    expect(() => kafkaSettingsFromEnv({ KAFKA_BROKERS: 'b:9092', KAFKA_SASL_MECHANISM: 'gssapi' })).toThrow(/KAFKA_SASL_MECHANISM: "gssapi" is not one of/);
    expect(() => kafkaSettingsFromEnv({ KAFKA_BROKERS: 'b:9092', KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are needed/);
    expect(() => kafkaSettingsFromEnv({ KAFKA_BROKERS: 'b:9092', HUB_KAFKA_TOPIC_PREFIX: 'cdp inbound' })).toThrow(/Invalid topic prefix/);
  });
});
