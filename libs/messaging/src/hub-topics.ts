/** An agency id as configured in area.json: also the last part of its topic names. */
const agencyIdPattern = '[a-z0-9][a-z0-9-]*';

/**
 * The hub's topic names (contracts/asyncapi.yaml): `<prefix>.inbound.<agencyId>` (agency -> hub),
 * `<prefix>.rejected.<agencyId>` and `<prefix>.outbound.<agencyId>` (hub -> agency). The prefix
 * is `cdp` in production; tests and shared clusters use their own.
 */
export class HubTopics {
  /** Matches every inbound topic, and no other: `^<prefix>\.inbound\.<agencyId>$`. */
  readonly inboundPattern: RegExp;

  constructor(readonly prefix = 'cdp') {
    if (!/^[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*$/.test(prefix)) {
      throw new TypeError(`Invalid topic prefix ${JSON.stringify(prefix)}: use dot-separated [a-zA-Z0-9_-] words`);
    }
    this.inboundPattern = new RegExp(`^${escapeRegExp(prefix)}\\.inbound\\.${agencyIdPattern}$`);
  }

  inbound(agencyId: string): string {
    return `${this.prefix}.inbound.${checkedAgencyId(agencyId)}`;
  }

  rejected(agencyId: string): string {
    return `${this.prefix}.rejected.${checkedAgencyId(agencyId)}`;
  }

  outbound(agencyId: string): string {
    return `${this.prefix}.outbound.${checkedAgencyId(agencyId)}`;
  }

  /** The agency whose inbound topic this is; undefined for any other topic. */
  agencyOfInbound(topic: string): string | undefined {
    return this.inboundPattern.test(topic) ? topic.slice(`${this.prefix}.inbound.`.length) : undefined;
  }
}

function checkedAgencyId(agencyId: string): string {
  if (!new RegExp(`^${agencyIdPattern}$`).test(agencyId)) {
    throw new TypeError(`Invalid agency id ${JSON.stringify(agencyId)} for a topic name: use [a-z0-9-], starting with a letter or digit`);
  }
  return agencyId;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
