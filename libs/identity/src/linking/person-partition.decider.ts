import { type LinkRuleName, linkRuleOrder } from '../matching/linking.rules';
import type { AssignmentReason, LinkEvidence, PersonsMergedData, SubjectAssignedData } from '../identity.events';

/** A subject stream and the person it belongs to now (null: not yet assigned). */
export interface SubjectMembership {
  readonly subjectStream: string;
  readonly personRef: string | null;
}

/** Two subjects the matcher says are the same person, and by which rule. */
export interface SubjectLink {
  readonly a: string;
  readonly b: string;
  readonly rule: LinkRuleName;
}

export interface PartitionInput {
  /** Every subject whose person may change: the linked closure of what changed, and all subjects of the persons involved. */
  readonly subjects: readonly SubjectMembership[];
  /** Every link among those subjects. */
  readonly links: readonly SubjectLink[];
  /** Creation order of existing persons (lower is older): the older person survives a merge. */
  readonly personOrder: ReadonlyMap<string, number>;
  /** The personRef of a person that starts with this subject (pseudonymous, deterministic). */
  readonly newPersonRef: (subjectStream: string) => string;
}

export interface PartitionDecision {
  /** The persons after the change: each component's subjects (sorted) and its personRef, in decision order. */
  readonly persons: readonly { readonly personRef: string; readonly subjects: readonly string[] }[];
  /** New persons, in creation order. */
  readonly created: readonly string[];
  readonly merges: readonly PersonsMergedData[];
  /** One per subject whose person changes, in a stable order. */
  readonly assignments: readonly SubjectAssignedData[];
}

const ruleOrder = linkRuleOrder;

/**
 * Who is who after a change (pure): the persons are the connected components of the links. Each
 * component keeps the oldest existing person among its subjects' persons that no earlier component
 * kept (so a personRef stays stable through merges; in a split, the part with more of the person's
 * subjects keeps it), or starts a new person. A person no component keeps is merged into the
 * survivor that took its subjects.
 */
export function decidePartition(input: PartitionInput): PartitionDecision {
  const members = new Map(input.subjects.map((s) => [s.subjectStream, s.personRef]));
  const links = input.links.filter((link) => link.a !== link.b && members.has(link.a) && members.has(link.b));
  const components = connectedComponents([...members.keys()].sort(), links);
  const age = (personRef: string): number => input.personOrder.get(personRef) ?? Number.MAX_SAFE_INTEGER;
  const byAge = (a: string, b: string): number => age(a) - age(b) || (a < b ? -1 : a > b ? 1 : 0);
  const candidates = components.map((streams) => [...new Set(streams.map((s) => members.get(s)).filter((p): p is string => !!p))].sort(byAge));
  // Components choose in turn: the one holding the oldest person first and, when a person splits,
  // the part holding more of its subjects keeps it (then the first stream, for determinism).
  const heldOf = (i: number): number => components[i]!.filter((s) => members.get(s) === candidates[i]![0]).length;
  const order = components.map((_, i) => i).sort((i, j) => {
    const a = candidates[i]![0];
    const b = candidates[j]![0];
    if (a && b && a !== b) return byAge(a, b);
    if (a && b) return heldOf(j) - heldOf(i) || (components[i]![0]! < components[j]![0]! ? -1 : 1);
    if (a || b) return a ? -1 : 1;
    return components[i]![0]! < components[j]![0]! ? -1 : 1;
  });

  const claimed = new Set<string>();
  const created: string[] = [];
  const personOfComponent = new Map<number, string>();
  for (const i of order) {
    let survivor = candidates[i]!.find((p) => !claimed.has(p));
    if (!survivor) {
      survivor = input.newPersonRef(components[i]![0]!);
      created.push(survivor);
    }
    claimed.add(survivor);
    personOfComponent.set(i, survivor);
  }

  const merges: PersonsMergedData[] = [];
  const mergedInto = new Map<string, PersonsMergedData>();
  for (const i of order) {
    const survivor = personOfComponent.get(i)!;
    const inComponent = new Set(components[i]);
    for (const merged of candidates[i]!) {
      if (claimed.has(merged) || mergedInto.has(merged)) continue;
      const crossing = links.filter((l) => inComponent.has(l.a) && inComponent.has(l.b) && (members.get(l.a) === merged) !== (members.get(l.b) === merged));
      const evidence = evidenceOf(crossing, (l) => [l.a, l.b]);
      const merge: PersonsMergedData = { survivingPersonRef: survivor, mergedPersonRef: merged, reason: evidence.rules[0] ?? 'merge', evidence };
      merges.push(merge);
      mergedInto.set(merged, merge);
    }
  }

  const assignments: SubjectAssignedData[] = [];
  for (const i of order) {
    const personRef = personOfComponent.get(i)!;
    const isNew = created.includes(personRef);
    for (const subjectStream of components[i]!) {
      const previousPersonRef = members.get(subjectStream) ?? null;
      if (previousPersonRef === personRef) continue;
      const direct = links.filter((l) => l.a === subjectStream || l.b === subjectStream);
      const evidence = evidenceOf(direct, (l) => [l.a === subjectStream ? l.b : l.a]);
      const merge = previousPersonRef ? mergedInto.get(previousPersonRef) : undefined;
      const reason: AssignmentReason = merge ? 'merge'
        : previousPersonRef && isNew ? 'unlinked'
          : evidence.rules[0] ?? (previousPersonRef ? 'unlinked' : 'new-subject');
      assignments.push({ subjectStream, personRef, previousPersonRef, reason, evidence: merge ? merge.evidence : evidence });
    }
  }
  const persons = order.map((i) => ({ personRef: personOfComponent.get(i)!, subjects: components[i]! }));
  return { persons, created, merges, assignments };
}

function evidenceOf(links: readonly SubjectLink[], subjectsOf: (link: SubjectLink) => string[]): LinkEvidence {
  const rules = new Set(links.map((l) => l.rule));
  return {
    rules: ruleOrder.filter((rule) => rules.has(rule)),
    linkedSubjects: [...new Set(links.flatMap(subjectsOf))].sort(),
  };
}

/** Components of the link graph, each sorted, listed by their first stream. */
function connectedComponents(streams: readonly string[], links: readonly SubjectLink[]): string[][] {
  const parent = new Map(streams.map((s) => [s, s]));
  const find = (s: string): string => {
    let root = s;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(s, root);
    return root;
  };
  for (const { a, b } of links) {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const s of streams) groups.set(find(s), [...(groups.get(find(s)) ?? []), s]);
  return [...groups.values()];
}
