const { Client } = require('pg');
(async () => {
  const c = new Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${process.argv[2]}` }); await c.connect();
  const persons = (await c.query(`SELECT array_agg(person_ref) a FROM (SELECT person_ref FROM proj_review_queue_g1.subjects ORDER BY random() LIMIT 130) y`)).rows[0].a;
  const show = async (label, sql, params) => { const r = await c.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params); console.log('=== ' + label + '\n' + r.rows.map(x => x['QUERY PLAN']).filter(l => !/Buffers/.test(l)).join('\n')); };
  await show('review-queue deathReportsOf', `SELECT DISTINCT v.record_key FROM proj_review_queue_g1.record_versions v JOIN proj_review_queue_g1.subjects s USING (stream_id)
     WHERE s.person_ref = ANY($1::text[]) AND v.body->'fact'->>'kind' = 'death-report'`, [persons]);
  const streams = (await c.query(`SELECT array_agg(stream_id) a FROM (SELECT stream_id FROM proj_alert_processor_g1.subjects ORDER BY random() LIMIT 100) y`)).rows[0].a;
  await show('alert-processor bodies', `SELECT body FROM proj_alert_processor_g1.record_versions WHERE stream_id = ANY($1::text[]) ORDER BY position`, [streams]);
  await c.end();
})();
