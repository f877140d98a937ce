import { randomBytes } from 'node:crypto';

/** A topic name no other test uses: `<prefix>.<random>` (Kafka-legal characters only). */
export function randomTopic(prefix = 'test'): string {
  return `${legal(prefix)}.${uniqueSuffix()}`;
}

/** A consumer group no other test uses. */
export function randomGroup(prefix = 'test-group'): string {
  return `${legal(prefix)}.${uniqueSuffix()}`;
}

function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}

function legal(prefix: string): string {
  return prefix.replace(/[^a-zA-Z0-9._-]/g, '-').slice(0, 180);
}
