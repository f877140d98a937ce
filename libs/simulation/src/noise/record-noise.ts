import { isRealDate, type LocalDate } from '@hub/kernel';
import type { Random } from '../random/random';
import { nicknames } from '../identity/names';

const alphabet = 'abcdefghijklmnopqrstuvwxyz';
export const typoOperations = ['insert', 'delete', 'substitute', 'transpose'] as const;
export type TypoOperation = (typeof typoOperations)[number];

/** One keying error in a name; the first letter is kept, as it usually is in real errors. */
export function withTypo(name: string, random: Random): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const result = applyTypo(name, random.pick(typoOperations), random);
    if (result !== name && result.length >= 2) return result;
  }
  return `${name}${name.at(-1) ?? 'e'}`;
}

export function applyTypo(name: string, operation: TypoOperation, random: Random): string {
  const position = random.int(1, Math.max(1, name.length - 1));
  switch (operation) {
    case 'insert':
      return name.slice(0, position) + random.pick([...alphabet]) + name.slice(position);
    case 'delete':
      return name.slice(0, position) + name.slice(position + 1);
    case 'substitute':
      return name.slice(0, position) + random.pick([...alphabet].filter((c) => c !== name[position]?.toLowerCase())) + name.slice(position + 1);
    case 'transpose':
      return position + 1 < name.length
        ? name.slice(0, position) + name[position + 1] + name[position] + name.slice(position + 2)
        : name;
  }
}

export function nicknameOf(givenName: string, random: Random): string | undefined {
  const options = nicknames[givenName];
  return options ? random.pick(options) : undefined;
}

/** 1988-04-12 -> 1988-12-04; undefined where the swap is the same date or not a date. */
export function transposedDayMonth(date: LocalDate): LocalDate | undefined {
  const [year, month, day] = date.split('-') as [string, string, string];
  const swapped = `${year}-${day}-${month}`;
  return swapped !== date && isRealDate(swapped) ? swapped : undefined;
}

/** One digit of the year's last two, the month or the day moved up or down by one, still a real date. */
export function withDigitOff(date: LocalDate, random: Random): LocalDate {
  const positions = [2, 3, 5, 6, 8, 9];
  const start = random.int(0, positions.length - 1);
  const step = random.chance(0.5) ? 1 : -1;
  for (let i = 0; i < positions.length * 2; i++) {
    const position = positions[(start + i) % positions.length]!;
    const delta = i < positions.length ? step : -step;
    const digit = Number(date[position]) + delta;
    if (digit < 0 || digit > 9) continue;
    const candidate = date.slice(0, position) + digit + date.slice(position + 1);
    if (isRealDate(candidate)) return candidate;
  }
  return date;
}
