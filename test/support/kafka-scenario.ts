import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sharedDir } from '@hub/testing';
import type { CloudEvent } from '@hub/kernel';
import type { BusMessage, HubTopics, MessageBus } from '@hub/messaging';

export const scenarioDir = resolve(sharedDir, 'scenarios');
export const areaFile = `${scenarioDir}/area.json`;
export const continuityBasicFile = `${scenarioDir}/continuity-basic.ndjson`;

export function readNdjson(file: string): CloudEvent[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as CloudEvent);
}

export function agencyOf(event: Pick<CloudEvent, 'source'>): string {
  return event.source.replace(/^agency:/, '');
}

/** Structured mode, keyed by subject (one person's events stay in order), each on its agency's topic. */
export function structuredRecord(event: CloudEvent): BusMessage {
  return { key: event.subject, value: JSON.stringify(event), headers: { 'content-type': 'application/cloudevents+json' } };
}

/** Publishes events to their agencies' inbound topics, in file order per agency. */
export async function publishToInbound(bus: MessageBus, topics: HubTopics, events: readonly CloudEvent[], chunk = 500): Promise<void> {
  const byAgency = new Map<string, CloudEvent[]>();
  for (const event of events) byAgency.set(agencyOf(event), [...(byAgency.get(agencyOf(event)) ?? []), event]);
  for (const [agency, own] of byAgency) {
    for (let start = 0; start < own.length; start += chunk) {
      await bus.publish(topics.inbound(agency), own.slice(start, start + chunk).map(structuredRecord));
    }
  }
}
