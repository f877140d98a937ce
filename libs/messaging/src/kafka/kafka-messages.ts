import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { BusHeaders, BusMessage, ReceivedMessage } from '../message-bus.port';

export function toKafkaMessage(message: BusMessage): Message {
  return {
    key: message.key ?? null,
    value: message.value,
    ...(message.headers ? { headers: { ...message.headers } } : {}),
  };
}

export function fromKafkaMessage(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key === null ? null : message.key.toString('utf8'),
    value: message.value,
    headers: decodeHeaders(message.headers),
    timestamp: message.timestamp,
  };
}

/** Header values as UTF-8 text; when a header repeats, the last value wins. */
function decodeHeaders(headers: IHeaders | undefined): BusHeaders {
  const decoded: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined) continue;
    decoded[name] = typeof value === 'string' ? value : value.toString('utf8');
  }
  return decoded;
}
