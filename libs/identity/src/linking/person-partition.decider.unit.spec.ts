import { decidePartition, type PartitionInput, type SubjectLink } from './person-partition.decider';

const newRef = (stream: string) => `P-NEW-${stream}`;

function decide(subjects: Record<string, string | null>, links: SubjectLink[], personOrder: Record<string, number> = {}) {
  const input: PartitionInput = {
    subjects: Object.entries(subjects).map(([subjectStream, personRef]) => ({ subjectStream, personRef })),
    links, personOrder: new Map(Object.entries(personOrder)), newPersonRef: newRef,
  };
  return decidePartition(input);
}

describe('person partition (who is who after a change)', () => {
  it('Given a subject with no links, When it arrives, Then it starts a person of its own (new-subject)', () => {
    const decision = decide({ 'prison:a': null }, []);
    expect(decision.created).toEqual(['P-NEW-prison:a']);
    expect(decision.assignments).toEqual([
      { subjectStream: 'prison:a', personRef: 'P-NEW-prison:a', previousPersonRef: null, reason: 'new-subject', evidence: { rules: [], linkedSubjects: [] } },
    ]);
    expect(decision.merges).toEqual([]);
  });

  it('Given a person P1, When a new subject shares its NHS number, Then the subject joins P1 with that rule as evidence', () => {
    const decision = decide({ 'nhs:a': 'P1', 'prison:b': null }, [{ a: 'nhs:a', b: 'prison:b', rule: 'shared-nhs-number' }], { P1: 1 });
    expect(decision.created).toEqual([]);
    expect(decision.assignments).toEqual([
      { subjectStream: 'prison:b', personRef: 'P1', previousPersonRef: null, reason: 'shared-nhs-number', evidence: { rules: ['shared-nhs-number'], linkedSubjects: ['nhs:a'] } },
    ]);
  });

  it('Given two persons, When a bridge subject links both, Then the older survives, the younger is merged and each of its subjects re-assigned', () => {
    const decision = decide(
      { 'prison:a': 'P-OLD', 'nhs:b': 'P-YOUNG', 'probation:c': 'P-YOUNG', 'police:bridge': null },
      [
        { a: 'police:bridge', b: 'prison:a', rule: 'shared-pnc-id' },
        { a: 'nhs:b', b: 'police:bridge', rule: 'same-name-and-date-of-birth' },
        { a: 'nhs:b', b: 'probation:c', rule: 'same-name-and-date-of-birth' },
      ],
      { 'P-OLD': 3, 'P-YOUNG': 7 },
    );
    expect(decision.created).toEqual([]);
    expect(decision.merges).toEqual([{
      survivingPersonRef: 'P-OLD', mergedPersonRef: 'P-YOUNG', reason: 'same-name-and-date-of-birth',
      evidence: { rules: ['same-name-and-date-of-birth'], linkedSubjects: ['nhs:b', 'police:bridge'] },
    }]);
    expect(decision.assignments.map((a) => [a.subjectStream, a.previousPersonRef, a.personRef, a.reason])).toEqual([
      ['nhs:b', 'P-YOUNG', 'P-OLD', 'merge'],
      ['police:bridge', null, 'P-OLD', 'shared-pnc-id'],
      ['probation:c', 'P-YOUNG', 'P-OLD', 'merge'],
    ]);
  });

  it('Given the older person listed second, Then the survivor is still the older one (creation order, not names)', () => {
    const decision = decide({ 'a:1': 'P-ZZZ', 'b:2': 'P-AAA' }, [{ a: 'a:1', b: 'b:2', rule: 'shared-crn' }], { 'P-ZZZ': 1, 'P-AAA': 2 });
    expect(decision.merges.map((m) => [m.survivingPersonRef, m.mergedPersonRef])).toEqual([['P-ZZZ', 'P-AAA']]);
    expect(decision.assignments.map((a) => [a.subjectStream, a.personRef])).toEqual([['b:2', 'P-ZZZ']]);
  });

  it('Given a linked person, When nothing changed, Then nothing is decided', () => {
    expect(decide({ 'a:1': 'P1', 'b:2': 'P1' }, [{ a: 'a:1', b: 'b:2', rule: 'shared-crn' }], { P1: 1 }))
      .toMatchObject({ created: [], merges: [], assignments: [] });
  });

  it('Given a person of three subjects, When the link to one is corrected away, Then that subject gets a new person (unlinked) and the rest keep theirs', () => {
    const decision = decide({ 'a:1': 'P1', 'b:2': 'P1', 'c:3': 'P1' }, [{ a: 'a:1', b: 'b:2', rule: 'shared-nomis-number' }], { P1: 1 });
    expect(decision.created).toEqual(['P-NEW-c:3']);
    expect(decision.assignments).toEqual([
      { subjectStream: 'c:3', personRef: 'P-NEW-c:3', previousPersonRef: 'P1', reason: 'unlinked', evidence: { rules: [], linkedSubjects: [] } },
    ]);
  });

  it('Given a person of three subjects, When the first subject\'s link is undone, Then the two still linked keep the personRef', () => {
    const decision = decide({ 'a:1': 'P1', 'b:2': 'P1', 'c:3': 'P1' }, [{ a: 'b:2', b: 'c:3', rule: 'shared-crn' }], { P1: 1 });
    expect(decision.created).toEqual(['P-NEW-a:1']);
    expect(decision.assignments.map((a) => [a.subjectStream, a.personRef, a.reason])).toEqual([['a:1', 'P-NEW-a:1', 'unlinked']]);
  });

  it('Given two new subjects that link each other, Then they start one person together, named after the first subject', () => {
    const decision = decide({ 'b:2': null, 'a:1': null }, [{ a: 'a:1', b: 'b:2', rule: 'shared-nhs-number' }]);
    expect(decision.created).toEqual(['P-NEW-a:1']);
    expect(decision.assignments.map((a) => [a.subjectStream, a.personRef, a.reason])).toEqual([
      ['a:1', 'P-NEW-a:1', 'shared-nhs-number'], ['b:2', 'P-NEW-a:1', 'shared-nhs-number'],
    ]);
  });
});
