import assert from 'node:assert/strict';
import { newId } from '../ids';
import { deliverEvent, type TestEvent } from './events';
import { dataOf, errorCodes, type GraphQLResponse } from './graphql-client';

/** `StatisticsRow` references as the gateway asks a subgraph for them, `fields` beside the period. */
export function statisticsEntitiesQuery(fields: string): string {
  return `query($r: [_Any!]!) { _entities(representations: $r) { ... on StatisticsRow { period ${fields} } } }`;
}

export function statisticsRepresentations(periods: readonly string[]): { __typename: string; period: string }[] {
  return periods.map((period) => ({ __typename: 'StatisticsRow', period }));
}

/**
 * The period keys the subgraphs' statistics tests ask for together: the days their events fall on (one
 * with nothing), and the months of those days.
 */
export const STATISTICS_TEST_PERIODS = ['2031-03-30', '2031-03-31', '2031-04-01', '2031-04-02', '2031-03', '2031-04'];

/** The same message delivered twice, as a broker redelivers one: its consumers' inbox must take it once. */
export async function deliverTwice(event: TestEvent): Promise<void> {
  const messageId = newId();
  await deliverEvent(event, messageId);
  await deliverEvent(event, messageId);
}

/**
 * A subgraph's `StatisticsRow` references: rows for an admin; FORBIDDEN for a member, UNAUTHENTICATED signed
 * out, BAD_USER_INPUT for a period key that is none, each without rows.
 */
export async function checkStatisticsReferences(
  ask: (periods: readonly string[], token?: string) => Promise<GraphQLResponse>,
  tokens: { admin: string; member: string },
  periods: readonly string[],
): Promise<Record<string, unknown>[]> {
  for (const [token, code] of [
    [tokens.member, 'FORBIDDEN'],
    [undefined, 'UNAUTHENTICATED'],
  ] as const) {
    const refused = await ask(periods, token);
    assert.ok(errorCodes(refused).length > 0 && errorCodes(refused).every((each) => each === code), code);
  }
  for (const bad of ['December', '2026-13', '2026-02-30']) {
    const refused = await ask([bad], tokens.admin);
    assert.deepEqual(errorCodes(refused), ['BAD_USER_INPUT'], bad);
  }
  return dataOf(await ask(periods, tokens.admin))._entities as Record<string, unknown>[];
}
