// Proves the public `scheduleQuote` calculator (api-contract.md, Repayments): it answers domain.md §4's
// reference schedule to the fen through the GraphQL schema, with synthetic ids `quote-<period>`, PENDING
// rows, no penalty, due dates clamped to month end, the contract's argument order; it refuses a zero
// amount or a term outside 1–360 months as BAD_USER_INPUT; and the query limits every subgraph applies
// price a quote by its termMonths on this schema (30 aliases of a 360-row quote are refused for cost).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { graphql, parse, specifiedRules, validate, type GraphQLEnumType, type GraphQLSchema } from 'graphql';
import {
  buildFederatedSchema,
  loadConfig,
  queryLimitsRule,
  readQueryLimits,
  type SubgraphDefinition,
} from '@wanxin/platform';
import { createSubgraph } from '../src';
import { quoteSchedule } from '../src/domain/schedule-quote';

let schema: GraphQLSchema;

before(async () => {
  schema = await buildFederatedSchema(createSubgraph() as SubgraphDefinition<unknown, unknown>);
});

/** Runs a query; the data come back as plain objects (graphql-js builds them without a prototype). */
async function run(source: string) {
  const result = await graphql({ schema, source, contextValue: {} });
  return { errors: result.errors, data: JSON.parse(JSON.stringify(result.data ?? null)) as unknown };
}

describe('scheduleQuote', () => {
  it('is priced by its termMonths under the default query limits: 30 aliases of 360 rows are refused, of 12 rows allowed', () => {
    const rules = [...specifiedRules, queryLimitsRule(loadConfig({}, readQueryLimits))];
    const quotes = (termMonths: number) =>
      Array.from(
        { length: 30 },
        (_, index) =>
          `q${index}: scheduleQuote(amount: "10000.00", annualRate: "0.1", termMonths: ${termMonths}, method: EQUAL_INSTALLMENT) { period amount }`,
      ).join(' ');
    const refused = validate(schema, parse(`{ ${quotes(360)} }`), rules);
    assert.deepEqual(
      refused.map((error) => [error.extensions.code, error.extensions.limit]),
      [['BAD_USER_INPUT', 'cost']],
    );
    assert.deepEqual(validate(schema, parse(`{ ${quotes(12)} }`), rules), []);
  });

  it('quotes 10,000.00 at 12 % over 12 months in equal installments to the fen', async () => {
    const result =
      await run(`{ scheduleQuote(amount: "10000.00", annualRate: "0.12", termMonths: 12, method: EQUAL_INSTALLMENT,
      startDate: "2026-01-31") { id period dueDate principal interest amount status overdueDays penalty repaidAt } }`);
    assert.equal(result.errors, undefined);
    const rows = (result.data as { scheduleQuote: Record<string, unknown>[] }).scheduleQuote;
    assert.equal(rows.length, 12);
    assert.deepEqual(rows[0], {
      id: 'quote-1',
      period: 1,
      dueDate: '2026-02-28',
      principal: '788.49',
      interest: '100.00',
      amount: '888.49',
      status: 'PENDING',
      overdueDays: 0,
      penalty: '0.00',
      repaidAt: null,
    });
    assert.deepEqual(
      rows.map((row) => row.amount),
      [...Array(11).fill('888.49'), '888.47'],
    );
    assert.deepEqual(
      rows.slice(0, 3).map((row) => row.dueDate),
      ['2026-02-28', '2026-03-31', '2026-04-30'],
    );
    assert.equal(rows[11].id, 'quote-12');
  });

  it('quotes a bullet loan as one row at start + n months', async () => {
    const result = await run(
      '{ scheduleQuote(amount: "10000", annualRate: "0.12", termMonths: 12, method: BULLET, startDate: "2028-02-29") { period dueDate amount } }',
    );
    assert.deepEqual(result.data, { scheduleQuote: [{ period: 1, dueDate: '2029-02-28', amount: '11200.00' }] });
  });

  it('refuses a zero amount and terms outside 1–360 months as BAD_USER_INPUT', async () => {
    for (const [amount, termMonths, field] of [
      ['0', 12, 'amount'],
      ['100', 0, 'termMonths'],
      ['100', 361, 'termMonths'],
    ] as const) {
      const result = await run(
        `{ scheduleQuote(amount: "${amount}", annualRate: "0.1", termMonths: ${termMonths}, method: DAILY, startDate: "2026-01-31") { id } }`,
      );
      assert.equal(result.errors?.[0].extensions.code, 'BAD_USER_INPUT', `${amount} / ${termMonths}`);
      assert.equal(result.errors?.[0].extensions.field, field);
    }
  });

  it('takes the rate from 0 to 1 and up to 360 months', () => {
    const rows = quoteSchedule({
      amountFen: 99_999_999_999n,
      annualRateMicros: 1_000_000,
      termMonths: 360,
      method: 'EQUAL_INSTALLMENT',
      startDate: '2026-01-31',
    });
    assert.equal(rows.length, 360);
    assert.equal(
      rows.reduce((sum, row) => sum + row.principalFen, 0n),
      99_999_999_999n,
    );
  });

  it("declares the contract's arguments, in order, and the contract's methods", () => {
    const field = schema.getQueryType()?.getFields().scheduleQuote;
    assert.deepEqual(
      field?.args.map((arg) => `${arg.name}: ${String(arg.type)}`),
      ['amount: Money!', 'annualRate: Rate!', 'termMonths: Int!', 'method: RepaymentMethod!', 'startDate: Date'],
    );
    assert.equal(String(field?.type), '[Installment!]!');
    const methods = schema.getType('RepaymentMethod') as GraphQLEnumType;
    assert.deepEqual(
      methods.getValues().map((value) => value.name),
      ['EQUAL_INSTALLMENT', 'EQUAL_PRINCIPAL', 'INTEREST_FIRST', 'BULLET', 'DAILY'],
    );
  });
});
