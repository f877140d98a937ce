import { readFileSync, writeFileSync } from 'node:fs';
import type { AreaConfig, CloudEvent } from '@hub/kernel';
import { simulate } from '@hub/simulation';
import { type HubTarget, runHub, sharedDir } from '@hub/testing';

export const areaFile = `${sharedDir}/scenarios/area.json`;
export const area = (): AreaConfig => JSON.parse(readFileSync(areaFile, 'utf8')) as AreaConfig;

/** Realistic events from the simulation (seeded: the same every run). */
export function simulatedEvents(seed: string, people: number): CloudEvent[] {
  return [...simulate({ area: area(), people, seed, from: '2025-01-01', months: 6 })];
}

export function agencyOf(event: Pick<CloudEvent, 'source'>): string {
  return event.source.replace(/^agency:/, '');
}

export function writeNdjson(file: string, events: readonly CloudEvent[]): string {
  writeFileSync(file, events.map((event) => JSON.stringify(event)).join('\n') + '\n');
  return file;
}

/** One bearer token per agency that publishes in `events`. */
export async function tokensFor(target: HubTarget, events: readonly CloudEvent[]): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const agency of new Set(events.map(agencyOf))) {
    const result = await runHub(target, ['token', '--agency', agency]);
    if (result.code !== 0) throw new Error(`hub token --agency ${agency} failed: ${result.stderr}`);
    tokens.set(agency, result.stdout.trim());
  }
  return tokens;
}

interface BatchResult {
  readonly results: { index: number; status: 'accepted' | 'duplicate' | 'rejected'; id?: string | null; code?: string }[];
}

/**
 * Agencies publishing over HTTP as a careful agency would: batches in order per agency, several
 * agencies at once, and a batch whose answer is lost (connection refused or reset, 5xx) is sent
 * again until the hub answers. Keeps what the hub said about every event.
 */
export class HttpPublishers {
  /** Where the hub listens now: a restarted hub may listen elsewhere. */
  url: string;
  readonly accepted = new Set<string>();
  readonly rejected = new Map<string, string>();
  readonly sent = new Set<string>();
  failures = 0;
  private stopped = false;

  constructor(url: string, private readonly tokens: ReadonlyMap<string, string>, private readonly options: { batchSize?: number; retryMs?: number } = {}) {
    this.url = url;
  }

  /** Publishes every event; resolves when the hub has answered for all of them. */
  async publish(events: readonly CloudEvent[]): Promise<void> {
    const byAgency = new Map<string, CloudEvent[]>();
    for (const event of events) byAgency.set(agencyOf(event), [...(byAgency.get(agencyOf(event)) ?? []), event]);
    await Promise.all([...byAgency].map(async ([agency, own]) => {
      const size = this.options.batchSize ?? 50;
      for (let start = 0; start < own.length && !this.stopped; start += size) await this.postUntilAnswered(agency, own.slice(start, start + size));
    }));
  }

  stop(): void {
    this.stopped = true;
  }

  private async postUntilAnswered(agency: string, batch: readonly CloudEvent[]): Promise<void> {
    for (const event of batch) this.sent.add(event.id);
    while (!this.stopped) {
      try {
        const response = await fetch(`${this.url}/v1/events`, {
          method: 'POST', body: JSON.stringify(batch),
          headers: { 'content-type': 'application/cloudevents-batch+json', authorization: `Bearer ${this.tokens.get(agency)}` },
        });
        if (response.status >= 500) {
          await response.arrayBuffer();
          throw new Error(`HTTP ${response.status}`);
        }
        if (response.status !== 200) throw new Error(`unexpected answer ${response.status}: ${await response.text()}`);
        const body = (await response.json()) as BatchResult;
        for (const result of body.results) {
          const id = batch[result.index]!.id;
          if (result.status === 'rejected') this.rejected.set(id, result.code ?? '?');
          else this.accepted.add(id);
        }
        return;
      } catch (error) {
        if ((error as Error).message.startsWith('unexpected answer')) throw error;
        this.failures += 1;
        // An agency's client backs off before sending the batch again.
        await new Promise((done) => setTimeout(done, this.options.retryMs ?? 100));
      }
    }
  }

  /** Sent, with no answer (only when stopped before the hub came back). */
  unanswered(): string[] {
    return [...this.sent].filter((id) => !this.accepted.has(id) && !this.rejected.has(id));
  }
}
