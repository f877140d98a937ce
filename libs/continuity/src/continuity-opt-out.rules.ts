import type { FactVersion } from './continuity-facts';
import type { GroupCounts, ReportDimension } from './continuity-report';

/**
 * The National Data Opt-out in the continuity report (aggregate reporting only): which people are
 * opted out, and whose data counts as NHS data. The caller decides both (the register as of the
 * report's instant, the agreements of the read); the report only leaves the data out.
 */
export interface ReportOptOut {
  /** NHS bodies whose data is left out for opted-out people (`optOutProviders` in @hub/sharing). */
  readonly nhsProviders: readonly string[];
  /** Subject streams carrying an NHS number on the register as it stood at `asOf`. */
  optedOutStreams(asOf: string): Promise<ReadonlySet<string>>;
}

/** The agency of a subject stream (`<agency>:<blind subject>`). */
export function agencyOfStream(streamId: string): string {
  return streamId.slice(0, streamId.indexOf(':'));
}

/**
 * The people opted out: a linked person is opted out when any of their subject streams is (the NHS
 * number may be on a prison record and not on the NHS body's own); a subject linked to nobody, when
 * its own stream is. Returns a test on a stream: does it belong to an opted-out person?
 */
export function optedOutTest(optedOutStreams: ReadonlySet<string>, personOf: (streamId: string) => string | undefined): (streamId: string) => boolean {
  const persons = new Set([...optedOutStreams].map(personOf).filter((p): p is string => p !== undefined));
  return (streamId) => {
    const person = personOf(streamId);
    return person === undefined ? optedOutStreams.has(streamId) : persons.has(person);
  };
}

/**
 * The records as aggregate reporting may use them: those an NHS body provided about an opted-out
 * person are left out (the release is judged as if the NHS had never sent them); every other record stays.
 */
export function withoutOptedOutNhsData(
  records: readonly FactVersion[], nhsProviders: readonly string[], isOptedOut: (streamId: string) => boolean,
): FactVersion[] {
  if (nhsProviders.length === 0) return [...records];
  const nhs = new Set(nhsProviders);
  return records.filter((record) => !(nhs.has(record.provider) && isOptedOut(record.streamId)));
}

/** The subject streams a linked date of birth may be read from: an opted-out person's NHS bodies' streams are left out. */
export function streamsUsableForBirthDate(streams: readonly string[], nhsProviders: readonly string[], isOptedOut: (streamId: string) => boolean): string[] {
  const nhs = new Set(nhsProviders);
  return streams.filter((stream) => !(nhs.has(agencyOfStream(stream)) && isOptedOut(stream)));
}

/** Group counts with some releases' contribution replaced: `base` + `plus` - `minus`, per group (a group left with no release is dropped). */
export function adjustCounts(base: readonly GroupCounts[], minus: readonly GroupCounts[], plus: readonly GroupCounts[], groupBy: readonly ReportDimension[]): GroupCounts[] {
  const fields = ['released', 'engaged', 'notEngaged', 'pending', 'excluded'] as const;
  const groups = new Map<string, { group: GroupCounts['group']; counts: Record<(typeof fields)[number], number> }>();
  const add = (rows: readonly GroupCounts[], sign: 1 | -1) => {
    for (const row of rows) {
      const id = JSON.stringify(groupBy.map((d) => row.group[d] ?? null));
      const entry = groups.get(id) ?? { group: row.group, counts: { released: 0, engaged: 0, notEngaged: 0, pending: 0, excluded: 0 } };
      for (const field of fields) entry.counts[field] += sign * row[field];
      groups.set(id, entry);
    }
  };
  add(base, 1);
  add(minus, -1);
  add(plus, 1);
  return [...groups.values()].filter((g) => groupBy.length === 0 || g.counts.released !== 0).map((g) => ({ group: g.group, ...g.counts }));
}
