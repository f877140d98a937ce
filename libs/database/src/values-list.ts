/**
 * A multi-row `VALUES` list with numbered parameters: `($1, $2), ($3, $4)`. Measured faster than
 * `unnest` arrays for batched writes on these machines (STACK-NOTES).
 */
export function valuesList(rows: readonly (readonly unknown[])[], casts: readonly string[] = []): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = row.map((value, column) => {
      params.push(value);
      return `$${params.length}${casts[column] ?? ''}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  return { sql: tuples.join(', '), params };
}
