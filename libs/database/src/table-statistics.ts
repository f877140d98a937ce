import type { Queryable } from './database';

/**
 * Analyzes the tables of `schema` (all of them, or those named) whose rows changed since their last
 * analyze outnumber the rows they had then, by 1,000 or more: roughly, that have doubled. Returns the
 * tables analyzed. One round trip when nothing is stale.
 *
 * Why the hub does this itself: a projection's tables grow from empty by thousands of rows a minute
 * (a catch-up, a steady stream of events), faster than autovacuum analyzes them (a minute's nap,
 * 10% of the table), and autovacuum may be off on the server (it is on this project's development
 * machines). Without statistics the planner takes `stream_id = ANY($1)` over a page's subjects for
 * most of the table and scans it sequentially in each statement: measured on a soak's review queue,
 * 33 ms for a lookup that takes 8 ms with statistics, and 53 ms against 1.6 ms in the alert processor.
 * Doubling keeps the row estimates within a factor of two for a handful of analyzes over a table's
 * growth (each samples at most 30,000 rows).
 */
export async function analyzeGrownTables(client: Queryable, schema: string, tables?: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ relname: string }>(
    `SELECT relname FROM pg_stat_user_tables
     WHERE schemaname = $1 AND ($2::text[] IS NULL OR relname = ANY($2::text[]))
       AND n_mod_since_analyze > 1000 + greatest(n_live_tup - n_mod_since_analyze, 0)
     ORDER BY relname`,
    [schema, tables ?? null],
  );
  if (rows.length === 0) return [];
  await client.query(`ANALYZE ${rows.map((r) => `${quoteIdent(schema)}.${quoteIdent(r.relname)}`).join(', ')}`);
  return rows.map((r) => r.relname);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
