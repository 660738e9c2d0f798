import assert from 'node:assert/strict';
import { issueToken } from '../auth/jwt';
import { newId } from '../ids';
import { deliverEvent, type TestEvent } from './events';
import { dataOf, errorCodes, type GraphQLResponse } from './graphql-client';

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

/** Who asks for statistics in the subgraphs' tests: an admin, and a member who may not. */
export interface StatisticsTokens {
  admin: string;
  member: string;
}

export function statisticsTokens(privateKeyPem: string): StatisticsTokens {
  return {
    admin: issueToken({ id: newId(), role: 'ADMIN' }, privateKeyPem, 3600).token,
    member: issueToken({ id: newId(), role: 'BORROWER' }, privateKeyPem, 3600).token,
  };
}

/** How a test posts a GraphQL request to the subgraph under test. */
export type PostToSubgraph = (
  query: string,
  variables: Record<string, unknown>,
  token?: string,
) => Promise<GraphQLResponse>;

/**
 * A subgraph's `StatisticsRow` references (`_entities`, as the gateway asks) of STATISTICS_TEST_PERIODS with
 * `fields`: the rows for an admin, after checking that a member is FORBIDDEN, the signed-out UNAUTHENTICATED
 * and a period key that is none BAD_USER_INPUT, each without rows.
 */
export async function checkStatisticsReferences(
  post: PostToSubgraph,
  tokens: StatisticsTokens,
  fields: string,
): Promise<Record<string, unknown>[]> {
  const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on StatisticsRow { period ${fields} } } }`;
  const ask = (periods: readonly string[], token?: string) =>
    post(query, { r: periods.map((period) => ({ __typename: 'StatisticsRow', period })) }, token);
  for (const [token, code] of [
    [tokens.member, 'FORBIDDEN'],
    [undefined, 'UNAUTHENTICATED'],
  ] as const) {
    const refused = await ask(STATISTICS_TEST_PERIODS, token);
    assert.ok(errorCodes(refused).length > 0 && errorCodes(refused).every((each) => each === code), code);
  }
  for (const bad of ['December', '2026-13', '2026-02-30']) {
    const refused = await ask([bad], tokens.admin);
    assert.deepEqual(errorCodes(refused), ['BAD_USER_INPUT'], bad);
  }
  return dataOf(await ask(STATISTICS_TEST_PERIODS, tokens.admin))._entities as Record<string, unknown>[];
}
