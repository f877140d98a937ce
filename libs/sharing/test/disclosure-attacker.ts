/**
 * An attacker on a published table, written independently of the suppression code. It is
 * given more than a reader has: the exact (unrounded) value of every cell left visible. It
 * knows each row's total (`released`, column 0, is the sum of columns 1-4) and, when a
 * totals row is published (the last row), each column's total.
 */
export interface AttackedTable {
  /** Exact counts [row][column], the totals row last when published. */
  readonly cells: readonly (readonly number[])[];
  readonly suppressed: readonly (readonly boolean[])[];
  readonly columnTotalsPublished: boolean;
}

type Equation = readonly { readonly row: number; readonly column: number; readonly coefficient: number }[];

function equationsOf(table: AttackedTable): readonly Equation[] {
  const rows = table.cells.length;
  const rowEquations = table.cells.map((cells, row): Equation =>
    cells.map((_, column) => ({ row, column, coefficient: column === 0 ? 1 : -1 })));
  if (!table.columnTotalsPublished) return rowEquations;
  const columnEquations = [0, 1, 2, 3, 4].map((column): Equation =>
    table.cells.map((_, row) => ({ row, column, coefficient: row === rows - 1 ? -1 : 1 })));
  return [...rowEquations, ...columnEquations];
}

/** The classic attack: solve any equation left with one unknown, substitute, repeat. Returns what it recovered. */
export function substitutionAttack(table: AttackedTable): Map<string, number> {
  const known = new Map<string, number>();
  const isUnknown = (row: number, column: number) => table.suppressed[row]![column]! && !known.has(`${row}:${column}`);
  const valueOf = (row: number, column: number) => known.get(`${row}:${column}`) ?? table.cells[row]![column]!;
  for (let progress = true; progress;) {
    progress = false;
    for (const equation of equationsOf(table)) {
      const unknowns = equation.filter((t) => isUnknown(t.row, t.column));
      if (unknowns.length !== 1) continue;
      const [target] = unknowns as [Equation[number]];
      const rest = equation.filter((t) => t !== target).reduce((sum, t) => sum + t.coefficient * valueOf(t.row, t.column), 0);
      known.set(`${target.row}:${target.column}`, -rest / target.coefficient);
      progress = true;
    }
  }
  return known;
}

/**
 * The strongest linear attack: a suppressed cell is derivable from the published totals
 * exactly when its unit vector lies in the row space of the equations over the unknowns.
 * Returns the derivable cells as `row:column`.
 */
export function derivableCells(table: AttackedTable): readonly string[] {
  const unknowns = table.suppressed.flatMap((cells, row) =>
    cells.flatMap((isSuppressed, column) => (isSuppressed ? [`${row}:${column}`] : [])));
  const matrix = equationsOf(table).map((equation) => unknowns.map((key) =>
    equation.find((t) => `${t.row}:${t.column}` === key)?.coefficient ?? 0));
  const baseRank = rank(matrix);
  return unknowns.filter((_, index) => rank([...matrix, unknowns.map((__, j) => (j === index ? 1 : 0))]) === baseRank);
}

function rank(input: readonly (readonly number[])[]): number {
  const m = input.map((row) => [...row]);
  const columns = m[0]?.length ?? 0;
  let rankFound = 0;
  for (let column = 0; column < columns && rankFound < m.length; column++) {
    let pivot = rankFound;
    for (let r = rankFound + 1; r < m.length; r++) if (Math.abs(m[r]![column]!) > Math.abs(m[pivot]![column]!)) pivot = r;
    if (Math.abs(m[pivot]![column]!) < 1e-9) continue;
    [m[rankFound], m[pivot]] = [m[pivot]!, m[rankFound]!];
    for (let r = 0; r < m.length; r++) {
      if (r === rankFound) continue;
      const factor = m[r]![column]! / m[rankFound]![column]!;
      for (let c = column; c < columns; c++) m[r]![c]! -= factor * m[rankFound]![c]!;
    }
    rankFound++;
  }
  return rankFound;
}
