import type { WeightedTable } from '../random/random';
import type { SubstanceGroup } from './parameters';

/** What paramedics, A&E staff and police suspect, by the person's substance group. */
export const suspectedSubstances: Record<SubstanceGroup | 'none', WeightedTable<readonly string[]>> = {
  opiate: [
    [['heroin'], 40], [['heroin', 'crack cocaine'], 25], [['heroin', 'benzodiazepines'], 12],
    [['heroin', 'alcohol'], 10], [['methadone'], 8], [['nitazenes'], 3], [['pregabalin', 'heroin'], 2],
  ],
  'non-opiate-only': [
    [['cocaine'], 40], [['crack cocaine'], 20], [['ketamine'], 12], [['synthetic cannabinoids'], 15], [['MDMA'], 13],
  ],
  'non-opiate-and-alcohol': [[['cocaine', 'alcohol'], 60], [['benzodiazepines', 'alcohol'], 25], [['ketamine', 'alcohol'], 15]],
  'alcohol-only': [[['alcohol'], 80], [['alcohol', 'benzodiazepines'], 20]],
  none: [[['unknown'], 50], [['alcohol'], 30], [['cocaine'], 20]],
};

export function isOpioid(substances: readonly string[]): boolean {
  return substances.some((substance) => ['heroin', 'methadone', 'nitazenes'].includes(substance));
}

export const deathCircumstances: readonly string[] = [
  'found unresponsive at home',
  'found unresponsive in a public place',
  'collapsed at a friend\'s address',
  'found in hostel room',
  'found deceased in supported accommodation',
  'collapsed in street, pronounced dead at scene',
];

export const inquestConclusions = {
  drugRelated: ['drug-related death: misadventure', 'drug-related death: accident', 'open conclusion, drug toxicity', 'narrative: drug toxicity'],
  notDrugRelated: ['natural causes', 'natural causes: cardiac disease', 'suicide (not drug related)', 'accident (not drug related)'],
} as const;
