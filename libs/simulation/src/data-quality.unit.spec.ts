import type { CloudEvent } from '@hub/kernel';
import { dataOf, optionsFor, run } from './test-support/fixtures';

// 18 months, so that inquests (4-11 months after a death) are not rare.
const { events } = run(optionsFor({ people: 3000, seed: 'quality', months: 18 }));
const records = new Map<string, CloudEvent[]>();
for (const event of events.filter((e) => !e.type.endsWith('.record.retracted.v1'))) {
  const key = `${event.source}|${event.type}|${dataOf(event)['recordId']}`;
  records.set(key, [...(records.get(key) ?? []), event]);
}
const withoutEnvelope = (event: CloudEvent) => JSON.stringify(event.data);

describe('what agencies get wrong, and put right', () => {
  it('corrects about 2% of records: same type, source and recordId, a later time, one field changed', () => {
    const corrected = [...records.values()].filter((versions) => versions.length > 1);
    expect(corrected.length / records.size).toBeGreaterThan(0.01);
    expect(corrected.length / records.size).toBeLessThan(0.04);
    const bad = corrected.filter(([first, second, ...more]) => {
      const changed = Object.keys(dataOf(first!)).filter((key) => JSON.stringify(dataOf(first!)[key]) !== JSON.stringify(dataOf(second!)[key]));
      return more.length > 0 || second!.time <= first!.time || first!.subject !== second!.subject || changed.length !== 1;
    });
    expect(bad).toEqual([]);
    const fields = new Set(corrected.map(([first, second]) =>
      Object.keys(dataOf(first!)).find((key) => JSON.stringify(dataOf(first!)[key]) !== JSON.stringify(dataOf(second!)[key]))));
    expect(fields).toContain('releasedOn');
    expect(fields).toContain('startedOn');
  });

  it('retracts duplicates entered in error, after publishing them, matched on type, source and record id', () => {
    const retractions = events.filter((e) => e.type.endsWith('.record.retracted.v1'));
    expect(retractions.length).toBeGreaterThan(10);
    const unmatched = retractions.filter((retraction) => {
      const data = dataOf(retraction);
      const [target] = records.get(`${retraction.source}|${data['retractedType']}|${data['retractedRecordId']}`) ?? [];
      return !target || target.time >= retraction.time || target.subject !== retraction.subject
        || retraction.type.split('.')[0] !== data['retractedType'].split('.')[0];
    });
    expect(unmatched).toEqual([]);
    const duplicated = retractions.filter((retraction) => {
      const data = dataOf(retraction);
      const [target] = records.get(`${retraction.source}|${data['retractedType']}|${data['retractedRecordId']}`)!;
      const { recordId: _, ...content } = dataOf(target!);
      // The original may have been corrected since: compare with its every version.
      return [...records.values()].some((versions) => versions.some((other) => other !== target && other.source === target!.source
        && other.type === target!.type && JSON.stringify({ ...dataOf(other), recordId: undefined }) === JSON.stringify({ ...content, recordId: undefined })));
    });
    expect(duplicated.length).toBe(retractions.length);
  });

  it('sometimes reports a death twice, and follows some deaths with an inquest, a few not drug related', () => {
    const reports = events.filter((e) => e.type === 'police.suspected-drug-death.reported.v1' && !withoutEnvelope(e).includes('"retracted'));
    const bySubjectAndDay = new Map<string, Set<string>>();
    for (const report of reports) {
      const key = `${report.subject}|${dataOf(report)['diedOn']}`;
      bySubjectAndDay.set(key, new Set([...(bySubjectAndDay.get(key) ?? []), dataOf(report)['recordId']]));
    }
    expect([...bySubjectAndDay.values()].filter((ids) => ids.size > 1).length).toBeGreaterThan(0);
    const inquests = events.filter((e) => e.type === 'coroner.inquest.concluded.v1').map(dataOf);
    expect(inquests.filter((inquest) => inquest['drugRelated']).length).toBeGreaterThan(inquests.length / 2);
    expect(inquests.filter((inquest) => !inquest['drugRelated']).length).toBeGreaterThan(0);
  });
});
