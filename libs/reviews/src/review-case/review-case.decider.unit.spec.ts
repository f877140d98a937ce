import { type ReviewCaseCommand, type ReviewCaseState, decideReviewCase, evolveReviewCase, initialReviewCaseState } from './review-case.decider';

const report = { recordKey: 'police-northshire|police.suspected-drug-death.reported.v1|DRD-1', provider: 'police-northshire', reportedAt: '2025-05-02T16:00:00.000Z' };
const second = { ...report, recordKey: 'police-northshire|police.suspected-drug-death.reported.v1|DRD-2', reportedAt: '2025-05-04T10:00:00.000Z' };
const by = 'la-northshire-public-health';
const at = '2025-05-10T09:00:00.000Z';
const open: ReviewCaseCommand = { type: 'OpenCase', data: { caseId: 'c-1', personRef: 'p-1', diedOn: '2025-05-01', report } };
const assign: ReviewCaseCommand = { type: 'AssignCase', data: { caseId: 'c-1', assignee: 'DRD panel: J. Patel', by, at } };
const start: ReviewCaseCommand = { type: 'StartReview', data: { caseId: 'c-1', by, at } };
const findings: ReviewCaseCommand = { type: 'RecordFindings', data: { caseId: 'c-1', findings: 'Released without a bridging prescription', learningPoints: ['Naloxone and a same-week appointment on release'], by, at } };
const close: ReviewCaseCommand = { type: 'CloseCase', data: { caseId: 'c-1', by, at } };
const notDrugRelated: ReviewCaseCommand = { type: 'CloseNotDrugRelated', data: { caseId: 'c-1', inquestRecordKey: 'coroner|INQ-1', at } };

function given(...commands: ReviewCaseCommand[]): ReviewCaseState {
  return commands.reduce((state, command) => decideReviewCase(command, state).reduce(evolveReviewCase, state), initialReviewCaseState);
}

describe('ReviewCase decider', () => {
  it('Given a death report, When the case opens, Then it is open and due 28 days after the report', () => {
    expect(given(open)).toMatchObject({ status: 'open', diedOn: '2025-05-01', reportedOn: '2025-05-02', dueOn: '2025-05-30', reports: [report] });
  });

  it('Given an open case, When the same death is reported again, Then the report joins the case (once)', () => {
    const join: ReviewCaseCommand = { type: 'JoinReport', data: { caseId: 'c-1', report: second } };
    const state = given(open, join);
    expect(state).toMatchObject({ status: 'open', reports: [report, second], dueOn: '2025-05-30' });
    expect(decideReviewCase(join, state)).toEqual([]);
    expect(decideReviewCase(open, state)).toEqual([]);
  });

  it('Given an open case, When assigned, started, findings recorded and closed, Then it is closed as reviewed with findings and learning points', () => {
    expect(given(open, assign, start, findings, close)).toMatchObject({
      status: 'closed', outcome: 'reviewed', assignee: 'DRD panel: J. Patel', findings: 'Released without a bridging prescription',
      learningPoints: ['Naloxone and a same-week appointment on release'],
    });
  });

  it('refuses steps out of order and a close without findings', () => {
    expect(() => given(open, start)).toThrow(expect.objectContaining({ code: 'REVIEW.INVALID_TRANSITION' }));
    expect(() => given(open, findings)).toThrow(expect.objectContaining({ code: 'REVIEW.INVALID_TRANSITION' }));
    expect(() => given(open, assign, start, close)).toThrow(expect.objectContaining({ code: 'REVIEW.FINDINGS_REQUIRED' }));
    expect(() => given(open, assign, start, findings, close, assign)).toThrow(expect.objectContaining({ code: 'REVIEW.INVALID_TRANSITION' }));
    expect(() => given(assign)).toThrow(expect.objectContaining({ code: 'REVIEW.NOT_FOUND' }));
    expect(() => given(open, { type: 'RecordFindings', data: { ...findings.data, caseId: 'c-1', findings: '  ' } } as ReviewCaseCommand)).toThrow();
  });

  it('Given a case in review, When the inquest finds the death not drug related, Then it closes as not drug related; again decides nothing', () => {
    const state = given(open, assign, start, notDrugRelated);
    expect(state).toMatchObject({ status: 'closed', outcome: 'not-drug-related' });
    expect(decideReviewCase(notDrugRelated, state)).toEqual([]);
  });

  it('Given a reviewed case, Then a later not-drug-related inquest leaves it as reviewed', () => {
    expect(given(open, assign, start, findings, close, notDrugRelated)).toMatchObject({ outcome: 'reviewed' });
  });
});
