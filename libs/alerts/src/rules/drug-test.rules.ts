import { communityStartSince, type FactOf, type RecordVersion, type TimelineView } from '@hub/timeline';
import { deterministicId } from '@hub/timeline';
import { treatmentAudience } from './audience';
import { inTreatmentOn } from './overdose.rules';
import { type PersonRule, triggerRetracted } from './person-rule';

/** The substances of SPEC section 6: positive opiates or cocaine. */
const alertingSubstances = new Set(['opiates', 'cocaine']);

type DrugTest = RecordVersion<FactOf<'drug-test'>>;

export function isPositiveForOpiatesOrCocaine(test: DrugTest): boolean {
  return test.fact.results.some((r) => alertingSubstances.has(r.substance) && r.result === 'positive');
}

/** DTOA_POSITIVE_NOT_IN_TREATMENT: a positive opiate or cocaine test on arrest, no open community episode that day. */
export const drugTestPositiveRule: PersonRule = {
  code: 'DTOA_POSITIVE_NOT_IN_TREATMENT',
  fire(view) {
    return view.ofKind('drug-test')
      .filter((test) => isPositiveForOpiatesOrCocaine(test) && !inTreatmentOn(view, test.fact.on))
      .map((test) => ({
        alertId: deterministicId('DTOA_POSITIVE_NOT_IN_TREATMENT', test.key),
        code: 'DTOA_POSITIVE_NOT_IN_TREATMENT' as const, priority: 'medium' as const, purpose: 'near-miss-alerting' as const, personLevel: true,
        triggers: [{ recordKey: test.key, provider: test.provider, type: test.type }],
        localAuthority: test.fact.localAuthority, occurredOn: test.fact.on,
        details: {
          testedAt: test.fact.testedAt, localAuthority: test.fact.localAuthority, triggerOffence: test.fact.triggerOffence,
          drugTestResults: test.fact.results, requiredAssessment: test.fact.requiredAssessment,
        },
        audience: treatmentAudience(view, test.fact.on),
      }));
  },
  resolution(trigger, view) {
    if (triggerRetracted(trigger, view)) return 'record-retracted';
    const test = view.get(trigger.triggers[0]!.recordKey) as DrugTest;
    if (inTreatmentOn(view, test.fact.on) || communityStartSince(view, test.fact.on)) return 'treatment-started';
    return isPositiveForOpiatesOrCocaine(test) ? undefined : 'condition-ended';
  },
};
