// Proves the gateway's check of custom-scalar input: every literal and variable, nested in input objects
// and lists and in fragments, is held against the platform's own scalar definitions, the refusal names the
// argument or variable, and echoed input is cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { DateScalar, ECHO_CHARS_MAX, echoInput, refuseBadScalarInput } from '../src';

// As the gateway sees them: scalars known by name only (the supergraph's), so GraphQL's own rules pass anything.
const schema = buildSchema(`
  scalar Money scalar Rate scalar Date scalar DateTime
  input Item { amount: Money!, dates: [Date!] }
  input Order { items: [Item!]!, note: String }
  type Query { quote(amount: Money!, rate: Rate, start: Date, at: DateTime, order: Order): Int }
`);

function refusal(document: string, variables: Record<string, unknown> = {}): Record<string, unknown> | undefined {
  const parsed = parse(document);
  const operation = parsed.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  ) as OperationDefinitionNode;
  const refused = refuseBadScalarInput(schema, parsed, operation, variables);
  return refused === undefined ? undefined : { message: refused.message, ...refused.extensions };
}

test('good input, literal and variable, passes', () => {
  assert.equal(
    refusal('{ quote(amount: "10.50", rate: "0.15", start: "2026-12-04", at: "2026-12-04T08:00:00Z") }'),
    undefined,
  );
  const document = 'query($o: Order, $a: Money!) { quote(amount: $a, order: $o) }';
  assert.equal(refusal(document, { a: '1.00', o: { items: [{ amount: '2.00', dates: ['2026-01-31'] }] } }), undefined);
  assert.equal(
    refusal('query($a: Money!) { quote(amount: $a) }', {}),
    undefined,
    'a missing variable is left to GraphQL',
  );
});

test('a bad literal is refused with HTTP 400 and BAD_USER_INPUT, naming the argument and its input field', () => {
  assert.deepEqual(refusal('{ quote(amount: "100.001") }'), {
    message: 'Invalid amount: Money: "100.001" is not an amount: use digits with at most two decimals',
    field: 'amount',
    code: 'BAD_USER_INPUT',
    http: { status: 400 },
  });
  assert.equal(
    refusal('{ quote(amount: 100) }')?.message,
    'Invalid amount: Money: expected a string literal, got IntValue',
  );
  assert.equal(refusal('{ quote(amount: "1", rate: "-0.1") }')?.field, 'rate');
  assert.equal(
    refusal('{ quote(amount: "1", start: "9999-06-30") }')?.message,
    'Invalid start: Date: "9999-06-30" is outside the years 1900 to 2999',
  );
  assert.equal(
    refusal('{ quote(amount: "1", order: { items: [{ amount: "1", dates: ["2026-02-30"] }] }) }')?.field,
    'order.items.dates',
  );
  assert.equal(refusal('{ ...q } fragment q on Query { quote(amount: "x") }')?.field, 'amount', 'inside a fragment');
  assert.equal(refusal('query($a: Money = "1.001") { quote(amount: $a) }')?.field, '$a', 'a default value');
});

test('a bad variable is refused naming the variable and the path inside it', () => {
  assert.equal(
    refusal('query($a: Money!) { quote(amount: $a) }', { a: 100 })?.message,
    'Invalid $a: Money: expected a string, got number',
  );
  const document = 'query($o: Order) { quote(amount: "1", order: $o) }';
  assert.equal(
    refusal(document, { o: { items: [{ amount: '1' }, { amount: '1.001' }] } })?.field,
    '$o.items[1].amount',
  );
  assert.equal(refusal(document, { o: { items: { amount: '1', dates: '1899-12-31' } } })?.field, '$o.items.dates');
  assert.equal(
    refusal('query($t: DateTime) { quote(amount: "1", at: $t) }', { t: '10000-01-01T00:00:00Z' })?.field,
    '$t',
  );
});

test('echoed input is cut to ECHO_CHARS_MAX characters', () => {
  assert.equal(echoInput('100.001'), '"100.001"');
  const long = echoInput('9'.repeat(1000));
  assert.equal(long.length, ECHO_CHARS_MAX);
  assert.ok(long.endsWith('…'));
  const message = String(refusal('query($a: Money!) { quote(amount: $a) }', { a: '1'.repeat(1_000_000) })?.message);
  assert.ok(message.length < 200, message);
});

test('Date takes the years 1900 to 2999 only', () => {
  assert.equal(DateScalar.parseValue('1900-01-01'), '1900-01-01');
  assert.equal(DateScalar.parseValue('2999-12-31'), '2999-12-31');
  for (const outside of ['1899-12-31', '3000-01-01', '9999-06-30'])
    assert.throws(() => DateScalar.parseValue(outside), /outside the years/);
});
