export { ensureKafka, type KafkaForTests } from './ensure-kafka';
export { startLocalKafka, stopLocalKafka, kafkaScriptPath, type LocalKafkaOptions } from './local-kafka';
export { randomTopic, randomGroup } from './random-names';
