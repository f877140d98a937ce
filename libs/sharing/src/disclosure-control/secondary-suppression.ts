/**
 * Secondary suppression on a table whose rows satisfy `released = engaged + notEngaged +
 * pending + excluded` and, when a totals row is published, whose columns sum to that row.
 *
 * Model (Gusfield's graph for 2-D tables with marginals): one node per row (the totals row
 * included) and one per column (all columns are one node when no column totals are
 * published, as there are then no column equations); each suppressed cell is an edge between
 * its row and its column. Published totals let an attacker derive a suppressed cell exactly
 * when, and only when, its edge is a bridge (it lies on no cycle of suppressed cells).
 *
 * Algorithm: while some suppressed cell is a bridge, suppress one more cell: the smallest
 * non-zero unsuppressed cell that joins the two sides of the bridge (closing a cycle through
 * it), else the smallest non-zero one in the bridge's row or column (growing towards a cycle);
 * zero cells only when nothing else remains. Ties go to the earlier row, then column.
 * Each step suppresses one more cell, so it reaches a fixed point with no bridges.
 */
export type Grid<T> = readonly (readonly T[])[];

interface Edge { readonly row: number; readonly column: number; readonly from: string; readonly to: string }

export function protectSuppressedCells(
  values: Grid<number>, primary: Grid<boolean>, columnTotalsPublished: boolean,
): boolean[][] {
  const suppressed = primary.map((row) => [...row]);
  const rowNode = (row: number) => `r${row}`;
  const columnNode = (column: number) => (columnTotalsPublished ? `c${column}` : 'c');
  for (;;) {
    const edges = suppressedEdges(suppressed, rowNode, columnNode);
    const bridge = firstBridge(edges);
    if (bridge === undefined) return suppressed;
    const sideA = reachable(bridge.from, edges, bridge);
    const sideB = reachable(bridge.to, edges, bridge);
    const joins = (r: number, c: number) =>
      (sideA.has(rowNode(r)) && sideB.has(columnNode(c))) || (sideB.has(rowNode(r)) && sideA.has(columnNode(c)));
    const alongside = (r: number, c: number) => r === bridge.row || (columnTotalsPublished && c === bridge.column);
    const next = smallestCell(values, suppressed, joins) ?? smallestCell(values, suppressed, alongside);
    if (next === undefined) {
      throw new Error(`secondary suppression found no cell to protect row ${bridge.row}, column ${bridge.column}`);
    }
    suppressed[next.row]![next.column] = true;
  }
}

function suppressedEdges(
  suppressed: Grid<boolean>, rowNode: (r: number) => string, columnNode: (c: number) => string,
): readonly Edge[] {
  return suppressed.flatMap((cells, row) => cells.flatMap((isSuppressed, column) =>
    isSuppressed ? [{ row, column, from: rowNode(row), to: columnNode(column) }] : []));
}

type Incidence = ReadonlyMap<string, readonly { readonly edge: number; readonly other: string }[]>;

function incidenceOf(edges: readonly Edge[]): Incidence {
  const incident = new Map<string, { edge: number; other: string }[]>();
  const add = (node: string, edge: number, other: string) => {
    const list = incident.get(node) ?? [];
    list.push({ edge, other });
    incident.set(node, list);
  };
  edges.forEach((e, index) => {
    add(e.from, index, e.to);
    add(e.to, index, e.from);
  });
  return incident;
}

/**
 * The first bridge in row-major order: Tarjan's low-link, iterative (no recursion limit on
 * long tables), skipping only the edge it arrived by so that parallel edges form cycles.
 */
function firstBridge(edges: readonly Edge[]): Edge | undefined {
  const incident = incidenceOf(edges);
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const bridges = new Set<number>();
  for (const root of incident.keys()) {
    if (order.has(root)) continue;
    const stack = [{ node: root, via: -1, next: 0 }];
    order.set(root, order.size);
    low.set(root, order.get(root)!);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const step = incident.get(frame.node)![frame.next++];
      if (step === undefined) {
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent === undefined) continue;
        low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
        if (low.get(frame.node)! > order.get(parent.node)!) bridges.add(frame.via);
      } else if (step.edge !== frame.via) {
        if (order.has(step.other)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, order.get(step.other)!));
        } else {
          order.set(step.other, order.size);
          low.set(step.other, order.get(step.other)!);
          stack.push({ node: step.other, via: step.edge, next: 0 });
        }
      }
    }
  }
  return edges.find((_, index) => bridges.has(index));
}

function reachable(start: string, edges: readonly Edge[], without: Edge): ReadonlySet<string> {
  const incident = incidenceOf(edges);
  const skipped = edges.indexOf(without);
  const seen = new Set([start]);
  const queue = [start];
  for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
    for (const { edge, other } of incident.get(node) ?? []) {
      if (edge === skipped || seen.has(other)) continue;
      seen.add(other);
      queue.push(other);
    }
  }
  return seen;
}

/** Zero ranks last: a suppressed zero beside a small count can be bounded by non-negativity. */
const rank = (value: number) => (value === 0 ? Number.POSITIVE_INFINITY : value);

function smallestCell(
  values: Grid<number>, suppressed: Grid<boolean>, eligible: (row: number, column: number) => boolean,
): { row: number; column: number } | undefined {
  let best: { row: number; column: number; rank: number } | undefined;
  values.forEach((cells, row) => cells.forEach((value, column) => {
    if (suppressed[row]![column] || !eligible(row, column)) return;
    if (best === undefined || rank(value) < best.rank) best = { row, column, rank: rank(value) };
  }));
  return best && { row: best.row, column: best.column };
}
