import type { PairRow } from '../store/identity-store';
import { decideIdentityReview } from './identity-review.decider';

const pair = (status: PairRow['status'], decidedBy = 'model'): PairRow => ({ pairId: 'L-1', a: 'x:1', b: 'y:2', status, decidedBy, matchWeight: 4.2, data: {} });

describe('a reviewer\'s decision on a pair', () => {
  it('Given a pair waiting for review, When accepted or rejected, Then the decision names the pair and the reviewer', () => {
    expect(decideIdentityReview(pair('review'), 'L-1', 'accept', 'hub-admin')).toEqual({ pairId: 'L-1', decision: 'accept', decidedBy: 'hub-admin' });
    expect(decideIdentityReview(pair('review'), 'L-1', 'reject', 'hub-admin', 'different fathers')).toEqual({ pairId: 'L-1', decision: 'reject', decidedBy: 'hub-admin', note: 'different fathers' });
  });

  it('Given a pair the model linked, When rejected, Then it is an unlink', () => {
    expect(decideIdentityReview(pair('linked'), 'L-1', 'reject', 'hub-admin').decision).toBe('reject');
  });

  it('Given a pair already in the state asked for, Then refused as an invalid transition', () => {
    expect(() => decideIdentityReview(pair('linked'), 'L-1', 'accept', 'hub-admin')).toThrow(expect.objectContaining({ code: 'IDENTITY.REVIEW_INVALID_TRANSITION' }));
    expect(() => decideIdentityReview(pair('apart', 'reviewer'), 'L-1', 'reject', 'hub-admin')).toThrow(expect.objectContaining({ code: 'IDENTITY.REVIEW_INVALID_TRANSITION' }));
  });

  it('Given an unknown pair or decision, Then a clear error naming the field', () => {
    expect(() => decideIdentityReview(undefined, 'L-9', 'accept', 'hub-admin')).toThrow('pairId: no scored pair "L-9"');
    expect(() => decideIdentityReview(pair('review'), 'L-1', 'maybe', 'hub-admin')).toThrow('decision: "maybe" is not accept or reject');
  });
});
