import { knowledgeInstants, type PersonTimeline, TimelineView } from '@hub/timeline';
import type { AlertTrigger, ResolutionReason } from '../alert';
import { drugTestPositiveRule } from './drug-test.rules';
import { engagementAtRiskRule } from './engagement-at-risk.rules';
import { overdoseNotInTreatmentRule, postReleaseOverdoseRule, repeatOverdoseRule } from './overdose.rules';
import type { PersonRule } from './person-rule';

/** Every person-level rule of SPEC section 6 (OVERDOSE_CLUSTER is area-level: see overdose-cluster.rules.ts). */
export const personRules: readonly PersonRule[] = [
  engagementAtRiskRule, postReleaseOverdoseRule, overdoseNotInTreatmentRule, repeatOverdoseRule, drugTestPositiveRule,
];

export interface RaisedFinding {
  readonly trigger: AlertTrigger;
  /** The first instant its condition held. */
  readonly raisedAt: string;
}

export interface ResolvedFinding {
  readonly alertId: string;
  readonly reason: ResolutionReason;
  readonly resolvedAt: string;
}

export interface PersonSweep {
  readonly raised: readonly RaisedFinding[];
  readonly resolved: readonly ResolvedFinding[];
  /** The next instant after `until` at which a time-based check may fire (for the hub's clock). */
  readonly nextDueAt: string | undefined;
}

/**
 * The person's alert history up to `until`, as the hub would have decided it at each instant its
 * knowledge changed or a time-based check fell due: each alert raised at the first instant its
 * condition held on what was known then, resolved at the first later instant it no longer stood.
 * A pure function of the timeline, so the same facts give the same alerts whenever and however
 * often it runs (live, catching up, after late links), each alert once.
 */
export function sweepPerson(timeline: Pick<PersonTimeline, 'versions' | 'retractions'>, until: string, rules: readonly PersonRule[] = personRules): PersonSweep {
  const due = rules.flatMap((rule) => rule.dueInstants?.(timeline.versions) ?? []);
  const instants = [...new Set([...knowledgeInstants(timeline), ...due])].filter((t) => t <= until).sort();
  const raised = new Map<string, RaisedFinding>();
  const open = new Map<string, { rule: PersonRule; trigger: AlertTrigger }>();
  const resolved: ResolvedFinding[] = [];
  for (const at of instants) {
    const view = TimelineView.of(timeline, at);
    for (const rule of rules) {
      for (const trigger of rule.fire(view, at)) {
        if (raised.has(trigger.alertId)) continue;
        raised.set(trigger.alertId, { trigger, raisedAt: at });
        open.set(trigger.alertId, { rule, trigger });
      }
    }
    for (const [alertId, { rule, trigger }] of open) {
      const reason = rule.resolution(trigger, view);
      if (reason === undefined) continue;
      resolved.push({ alertId, reason, resolvedAt: at });
      open.delete(alertId);
    }
  }
  return { raised: [...raised.values()], resolved, nextDueAt: nextDueAt(timeline, until, rules) };
}

/** The next instant after `until` at which a time-based check of the person's current records may fire. */
export function nextDueAt(timeline: Pick<PersonTimeline, 'versions' | 'retractions'>, until: string, rules: readonly PersonRule[] = personRules): string | undefined {
  const current = TimelineView.of(timeline).records;
  return rules.flatMap((rule) => rule.dueInstants?.(current) ?? []).filter((t) => t > until).sort()[0];
}
