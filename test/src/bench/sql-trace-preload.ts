// Loaded into a service by `node --require` (the repayments bench does so under BENCH_PROFILE_DIR): times
// every SQL statement the service's MikroORM sends through knex's MySQL client, from the call to its
// answer (so a statement waiting on a lock or on the commit's disk write counts that wait), and writes the
// timings to BENCH_SQL_TRACE_DIR/sql-trace-<pid>.json when the process exits. Times are monotonic µs, the
// clock the benches print their spans in: `node test/dist/bench/sql-trace-summary.js <dir> <from> <to>`
// then says which statements a span's time went to. Without BENCH_SQL_TRACE_DIR it does nothing.
import fs from 'node:fs';
import path from 'node:path';
import type { SqlTrace } from './sql-trace-summary';

/** Statements kept at the most: a due day and a night of 10,000 loans send about 300,000. */
const STATEMENTS_MAX = 2_000_000;

interface KnexQuery {
  sql?: string;
}

type KnexQueryMethod = (this: unknown, connection: unknown, query: KnexQuery | string) => Promise<unknown>;

function install(directory: string): void {
  const trace: SqlTrace = { shapes: [], statements: [] };
  const shapeIds = new Map<string, number>();
  // The service's own knex (hoisted to the repository's node_modules), whose MySQL client mysql2's extends.
  const client = require(require.resolve('knex/lib/dialects/mysql', { paths: [process.cwd()] })) as {
    prototype: { _query: KnexQueryMethod };
  };
  const query = client.prototype._query;
  client.prototype._query = function timedQuery(connection, statement) {
    const startedAtUs = process.hrtime.bigint() / 1000n;
    const record = () => {
      if (trace.statements.length >= STATEMENTS_MAX) return;
      const shape = shapeOf(typeof statement === 'string' ? statement : (statement?.sql ?? ''));
      let shapeId = shapeIds.get(shape);
      if (shapeId === undefined) {
        shapeId = trace.shapes.push(shape) - 1;
        shapeIds.set(shape, shapeId);
      }
      const durationUs = process.hrtime.bigint() / 1000n - startedAtUs;
      trace.statements.push([Number(startedAtUs), Number(durationUs), shapeId]);
    };
    return query.call(this, connection, statement).finally(record);
  };
  process.on('exit', () => {
    fs.mkdirSync(directory, { recursive: true });
    fs.writeFileSync(path.join(directory, `sql-trace-${process.pid}.json`), JSON.stringify(trace));
  });
}

/**
 * A statement without its values: literals as `?`, a list of them as `(?…)`, rows of lists as `(?…)…`, an
 * insert's list of columns as `(…)`.
 */
function shapeOf(sql: string): string {
  return sql
    .replace(/'(?:[^'\\]|\\.)*'/g, '?')
    .replace(/\b[0-9]+(\.[0-9]+)?\b/g, '?')
    .replace(/\((?:\s*(?:\?|null|default)\s*,)*\s*(?:\?|null|default)\s*\)/gi, '(?…)')
    .replace(/\(\?…\)(?:\s*,\s*\(\?…\))+/g, '(?…)…')
    .replace(/\((?:`\w+`(?:, )?)+\)/g, '(…)')
    .replace(/\s+/g, ' ')
    .trim();
}

const traceDirectory = process.env.BENCH_SQL_TRACE_DIR;
if (traceDirectory !== undefined && traceDirectory !== '') install(traceDirectory);
