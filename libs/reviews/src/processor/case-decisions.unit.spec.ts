import { TimelineView } from '@hub/timeline';
import { deathReport, inquest, retraction, timeline } from '../../../timeline/test/timeline-builder';
import { decideReviewCase, evolveReviewCase, initialReviewCaseState, type OpenedCase, type ReviewCaseCommand } from '../review-case/review-case.decider';
import { caseCommandsFor, caseIdFor } from './case-decisions';

/** Runs the processor's decisions to a fixed point, as the projection does. */
function settle(items: Parameters<typeof timeline>, cases: OpenedCase[] = []): { cases: OpenedCase[]; commands: ReviewCaseCommand['type'][] } {
  const known = new Map(cases.map((c) => [c.caseId, c]));
  const decided: ReviewCaseCommand['type'][] = [];
  for (let round = 0; round < 4; round++) {
    let progressed = false;
    for (const command of caseCommandsFor('p-1', TimelineView.of(timeline(...items)), [...known.values()], '2025-08-01T00:00:00.000Z')) {
      const state = known.get(command.data.caseId) ?? initialReviewCaseState;
      const events = decideReviewCase(command, state);
      if (events.length === 0) continue;
      known.set(command.data.caseId, events.reduce(evolveReviewCase, state) as OpenedCase);
      decided.push(command.type);
      progressed = true;
    }
    if (!progressed) break;
  }
  return { cases: [...known.values()], commands: decided };
}

describe('review cases from death reports', () => {
  it('Given a death report, Then one case opens, named by the report', () => {
    const report = deathReport('2025-06-15');
    const { cases } = settle([report]);
    expect(cases).toEqual([expect.objectContaining({ caseId: caseIdFor(report), status: 'open', diedOn: '2025-06-15', personRef: 'p-1' })]);
  });

  it('Given a second report of the same death, Then it joins the case; a report of another date opens another', () => {
    const first = deathReport('2025-06-15');
    const { cases } = settle([first, deathReport('2025-06-15', { knownAt: '2025-06-17T10:00:00Z' })]);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.reports).toHaveLength(2);
    expect(settle([first, deathReport('2024-01-01')]).cases).toHaveLength(2);
  });

  it('Given two cases later found to be the same person and death, Then the later merges into the earlier', () => {
    const first = deathReport('2025-06-15');
    const second = deathReport('2025-06-15', { knownAt: '2025-06-18T10:00:00Z', stream: 'police-northshire:other-subject' });
    const one = settle([first]).cases;
    const other = settle([second]).cases;
    const { cases, commands } = settle([first, second], [...one, ...other]);
    expect(commands).toEqual(['MergeCase', 'JoinReport']);
    expect(cases.find((c) => c.caseId === caseIdFor(second))).toMatchObject({ status: 'closed', outcome: 'merged', mergedInto: caseIdFor(first) });
    expect(cases.find((c) => c.caseId === caseIdFor(first))!.reports).toHaveLength(2);
  });

  it('Given a case, When its only report is retracted, Then it is withdrawn', () => {
    const report = deathReport('2025-06-15');
    const { cases } = settle([report, retraction(report, '2025-06-20T10:00:00Z')], settle([report]).cases);
    expect(cases[0]).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
  });

  it('Given an inquest finding the death not drug related, Then the case closes as not drug related; a drug-related one leaves it open', () => {
    expect(settle([deathReport('2025-06-15'), inquest('2025-10-01', false)]).cases[0]).toMatchObject({ status: 'closed', outcome: 'not-drug-related' });
    expect(settle([deathReport('2025-06-15'), inquest('2025-10-01', true)]).cases[0]).toMatchObject({ status: 'open' });
  });
});
