/**
 * String comparisons for names (pure). Jaro-Winkler as in Winkler (1990) with the usual prefix
 * scale 0.1 over at most four characters; Soundex as the US National Archives define it (H and W
 * do not separate letters with the same code, vowels do).
 */

/** Jaro similarity in [0, 1]: matching characters within half the longer length, and transpositions among them. */
export function jaro(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 1 : 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const matchedA = new Array<boolean>(a.length).fill(false);
  const matchedB = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (matchedB[j] || a[i] !== b[j]) continue;
      matchedA[i] = true;
      matchedB[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!matchedA[i]) continue;
    while (!matchedB[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  return (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
}

/** Jaro-Winkler similarity in [0, 1]: Jaro, raised for a common prefix of up to four characters. */
export function jaroWinkler(a: string, b: string): number {
  const similarity = jaro(a, b);
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return similarity + prefix * 0.1 * (1 - similarity);
}

const soundexCodes: Record<string, string> = {
  b: '1', f: '1', p: '1', v: '1',
  c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2',
  d: '3', t: '3', l: '4', m: '5', n: '5', r: '6',
};

/** American Soundex: first letter and three digits (`Robert` -> `R163`); '' when there is no letter. */
export function soundex(value: string): string {
  const letters = value.toLowerCase().replace(/[^a-z]/g, '');
  if (letters.length === 0) return '';
  let code = letters[0]!.toUpperCase();
  let previous = soundexCodes[letters[0]!] ?? '';
  for (let i = 1; i < letters.length && code.length < 4; i++) {
    const letter = letters[i]!;
    const digit = soundexCodes[letter];
    if (digit && digit !== previous) code += digit;
    // H and W keep the previous code (so letters either side with one code count once); vowels reset it.
    if (letter !== 'h' && letter !== 'w') previous = digit ?? '';
  }
  return code.padEnd(4, '0');
}
