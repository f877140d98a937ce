import { createHash } from 'node:crypto';

/**
 * A hub event for one agency, as it goes out on `cdp.outbound.<agencyId>`: a CloudEvent in
 * structured mode whose `id` is the hub event id (also the record key, for de-duplication
 * downstream). `source` is `hub:<areaId>`; `subject`, when present, is a pseudonymous personRef.
 * Never put personal data in `data`: the outbox keeps it at rest until pruned.
 */
export interface OutboundEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: Readonly<Record<string, unknown>>;
}

export interface OutboundEventInit {
  /** The hub event id: the stored hub event's id when it relays one, else a deterministic id (`nameBasedId`). */
  readonly id: string;
  /** The area's id (area.json `area.id`); the source becomes `hub:<areaId>`. */
  readonly areaId: string;
  readonly type: string;
  /** An ISO instant. */
  readonly time: string;
  readonly subject?: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export function outboundEvent(init: OutboundEventInit): OutboundEvent {
  return {
    specversion: '1.0',
    id: init.id,
    source: `hub:${init.areaId}`,
    type: init.type,
    ...(init.subject === undefined ? {} : { subject: init.subject }),
    time: init.time,
    datacontenttype: 'application/json',
    data: init.data,
  };
}

/** The hub's namespace for name-based (version 5) UUIDs. */
const hubNamespace = Buffer.from('4f0c2d1e8b7a4c5d9e6f0a1b2c3d4e5f', 'hex');

/**
 * A UUID (version 5, RFC 9562) derived from `name`: the same trigger always yields the same hub
 * event id, so a re-run enqueues something the receiver recognises as already seen.
 */
export function nameBasedId(name: string): string {
  const hash = createHash('sha1').update(hubNamespace).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
