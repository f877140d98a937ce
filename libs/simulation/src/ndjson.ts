import type { CloudEvent } from '@hub/kernel';

/** One NDJSON line for the event, newline included: write the lines one after another to get a file. */
export function toNdjsonLine(event: CloudEvent): string {
  return `${JSON.stringify(event)}\n`;
}
