// Where a span's SQL time went, from the traces sql-trace-preload.ts writes: for the statements that began
// between two monotonic times in µs (the span a bench prints), by statement shape, how many, their time
// from call to answer in all, on average and at most, and when in the span the first and last began (the
// phases of a run show as shapes that come and go). Also the span's share with at least one statement in
// flight: the rest is the service's own work and its calls elsewhere (the bank).
//
// Run:  node test/dist/bench/sql-trace-summary.js <trace file or folder> <from µs> <to µs> [<top>]
import fs from 'node:fs';
import path from 'node:path';

/** What the preload writes: shapes once, then per statement [started at µs, took µs, shape index]. */
export interface SqlTrace {
  shapes: string[];
  statements: [number, number, number][];
}

const TOP_DEFAULT = 25;
/** A shape is cut to this many characters in the listing. */
const SHAPE_PRINTED_LENGTH_MAX = 160;

/** µs of [from, to] covered by at least one statement: intervals merged in order of their start. */
function busyUs(statements: [number, number, number][], fromUs: number, toUs: number): number {
  let covered = 0;
  let reachUs = fromUs;
  for (const [startUs, durationUs] of [...statements].sort((left, right) => left[0] - right[0])) {
    const endUs = Math.min(startUs + durationUs, toUs);
    if (endUs > reachUs) {
      covered += endUs - Math.max(startUs, reachUs);
      reachUs = endUs;
    }
  }
  return covered;
}

interface ShapeTotals {
  count: number;
  totalUs: number;
  maxUs: number;
  firstUs: number;
  lastUs: number;
}

function summarize(trace: SqlTrace, fromUs: number, toUs: number, top: number): string[] {
  const inSpan = trace.statements.filter(([startUs]) => startUs >= fromUs && startUs <= toUs);
  if (inSpan.length === 0) return ['no statements in the span'];
  const byShape = new Map<number, ShapeTotals>();
  for (const [startUs, durationUs, shape] of inSpan) {
    const totals = byShape.get(shape) ?? { count: 0, totalUs: 0, maxUs: 0, firstUs: startUs, lastUs: startUs };
    totals.count += 1;
    totals.totalUs += durationUs;
    totals.maxUs = Math.max(totals.maxUs, durationUs);
    totals.lastUs = Math.max(totals.lastUs, startUs);
    totals.firstUs = Math.min(totals.firstUs, startUs);
    byShape.set(shape, totals);
  }
  const spanS = (toUs - fromUs) / 1e6;
  const sumUs = inSpan.reduce((sum, [, durationUs]) => sum + durationUs, 0);
  const seconds = (us: number) => `${(us / 1e6).toFixed(2)} s`;
  const at = (us: number) => `${((us - fromUs) / 1e6).toFixed(1)}`.padStart(6);
  return [
    `${inSpan.length} statements in ${spanS.toFixed(1)} s; their times add up to ${seconds(sumUs)}; ` +
      `at least one in flight ${((busyUs(inSpan, fromUs, toUs) / 1e6 / spanS) * 100).toFixed(0)} % of the span`,
    '   count   total s  mean ms   max ms   from–to s  statement',
    ...[...byShape.entries()]
      .sort((left, right) => right[1].totalUs - left[1].totalUs)
      .slice(0, top)
      .map(([shape, totals]) =>
        [
          String(totals.count).padStart(8),
          (totals.totalUs / 1e6).toFixed(2).padStart(9),
          (totals.totalUs / totals.count / 1000).toFixed(2).padStart(8),
          (totals.maxUs / 1000).toFixed(1).padStart(8),
          `${at(totals.firstUs)}–${at(totals.lastUs).trim().padEnd(5)}`,
          trace.shapes[shape].slice(0, SHAPE_PRINTED_LENGTH_MAX),
        ].join(' '),
      ),
  ];
}

function traceFiles(target: string): string[] {
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs
    .readdirSync(target, { recursive: true, encoding: 'utf8' })
    .filter((name) => /sql-trace-[0-9]+\.json$/.test(name))
    .map((name) => path.join(target, name));
}

function main(): void {
  const [target, from, to, top] = process.argv.slice(2);
  if (target === undefined || from === undefined || to === undefined)
    throw new Error('usage: sql-trace-summary <trace file or folder> <from µs> <to µs> [<top>]');
  for (const file of traceFiles(target)) {
    const trace = JSON.parse(fs.readFileSync(file, 'utf8')) as SqlTrace;
    const lines = summarize(trace, Number(from), Number(to), top === undefined ? TOP_DEFAULT : Number(top));
    console.log([`${file}:`, ...lines].join('\n'), '\n');
  }
}

main();
