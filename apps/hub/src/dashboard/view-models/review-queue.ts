import type { PresentedReview } from '../../use-cases/reviews/review-disclosure';

const priorityRank: Readonly<Record<string, number>> = { P1: 1, P2: 2, P3: 3 };

/** The queue as a panel works it: P1 first, then the earliest due date, then the earliest death. */
export function orderQueue<T extends Pick<PresentedReview, 'priority' | 'dueOn' | 'diedOn' | 'id'>>(reviews: readonly T[]): T[] {
  return [...reviews].sort((a, b) => (priorityRank[a.priority] ?? 9) - (priorityRank[b.priority] ?? 9)
    || a.dueOn.localeCompare(b.dueOn) || a.diedOn.localeCompare(b.diedOn) || a.id.localeCompare(b.id));
}

export type ReviewStep = 'assign' | 'start' | 'findings' | 'close';

/** The workflow steps a case offers next (open -> assigned -> in-review -> closed; closing needs findings). */
export function nextSteps(review: { readonly status: string; readonly findings: string | null }): ReviewStep[] {
  switch (review.status) {
    case 'open': return ['assign'];
    case 'assigned': return ['assign', 'start'];
    case 'in-review': return review.findings === null ? ['findings'] : ['findings', 'close'];
    default: return [];
  }
}

export const flagQuestions: readonly { readonly name: string; readonly question: string }[] = [
  { name: 'releasedWithin28Days', question: 'Released from prison within 28 days before death' },
  { name: 'releasedWithin12Weeks', question: 'Released from prison within 12 weeks before death' },
  { name: 'inTreatmentAtDeath', question: 'In treatment at death' },
  { name: 'knownToTreatment', question: 'Ever known to treatment' },
  { name: 'underProbationSupervision', question: 'Under probation supervision' },
  { name: 'nearMissesLast12Months', question: 'Non-fatal overdoses in the last 12 months' },
  { name: 'positiveDtoaLast12Months', question: 'Positive drug tests on arrest in the last 12 months' },
];

/** Each flag as an answer; null means the agreement does not share the records it is worked out from. */
export function flagAnswers(flags: Readonly<Record<string, boolean | number | null>>): { question: string; answer: string; shared: boolean }[] {
  return flagQuestions.map(({ name, question }) => {
    const value = flags[name];
    if (value === null || value === undefined) return { question, answer: 'Not shared with you under the agreements', shared: false };
    return { question, answer: typeof value === 'boolean' ? (value ? 'Yes' : 'No') : String(value), shared: true };
  });
}

/** Learning points typed one per line in the findings form. */
export function learningPointsOf(text: unknown): string[] {
  return typeof text === 'string' ? text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '') : [];
}
