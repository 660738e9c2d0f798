import { SUBGRAPH_NAMES, type SqlQuerySource, type SubgraphName } from '@wanxin/platform';
import type { RunningPlatform } from './platform';

const SQL_STATEMENTS_LINE = /^wanxin_sql_queries_total\{([^}]*)\}\s+([0-9.e+]+)$/;

export type StatementCounts = Record<SubgraphName, number>;

/** One subgraph's count of SQL statements so far (`wanxin_sql_queries_total`) from `sources`. */
async function statementCount(
  platform: RunningPlatform,
  subgraph: SubgraphName,
  sources: readonly SqlQuerySource[],
): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${platform.subgraphs[subgraph].port}/metrics`);
  let count = 0;
  for (const line of (await response.text()).split('\n')) {
    const match = SQL_STATEMENTS_LINE.exec(line);
    if (match !== null && sources.some((source) => match[1].split(',').includes(`source="${source}"`)))
      count += Number(match[2]);
  }
  return count;
}

/** Every subgraph's count of SQL statements from `sources` so far. */
export async function statementCounts(
  platform: RunningPlatform,
  sources: readonly SqlQuerySource[],
): Promise<StatementCounts> {
  const counts = await Promise.all(SUBGRAPH_NAMES.map((name) => statementCount(platform, name, sources)));
  return Object.fromEntries(SUBGRAPH_NAMES.map((name, index) => [name, counts[index]])) as StatementCounts;
}

export function countsBetween(before: StatementCounts, after: StatementCounts): StatementCounts {
  return Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, after[name] - before[name]])) as StatementCounts;
}

/** What each subgraph sent for GraphQL requests while `work` ran (background work such as the relay is not counted). */
export async function requestQueriesDuring(
  platform: RunningPlatform,
  work: () => Promise<void>,
): Promise<StatementCounts> {
  const before = await statementCounts(platform, ['request']);
  await work();
  return countsBetween(before, await statementCounts(platform, ['request']));
}
