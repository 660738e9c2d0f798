// Proves the query ceilings (gateway and subgraphs) measure what they claim: depth counts nested fields
// through fragments, aliases are counted everywhere, cost multiplies by the size of every list (page sizes,
// known bounds, a bounding argument such as termMonths, a default for the rest), fragment cycles cannot hang it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildSchema,
  parse,
  validate,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { measureOperation, queryLimitsRule, refuseCostlyOperation } from '../src';

const schema = buildSchema(`
  type Query {
    a: Item  b: Int  list(first: Int): [Item]  node: Node  tags: [String!]!  items: [Item!]!
    scheduleQuote(termMonths: Int!): [Installment!]!  loan: Loan  loans(first: Int): LoanConnection!
    _entities(representations: [_Any!]!): [Loan]!
  }
  scalar _Any
  type Item { id: ID  b: Item  c: Item  d: Int  inner(first: Int): [Item]  list(first: Int): [Item] }
  type Node { id: ID, next: Node }
  type Loan { id: ID  title: String  schedule: [Installment!]! }
  type Installment { period: Int  amount: String }
  type LoanConnection { edges: [LoanEdge!]! }
  type LoanEdge { node: Loan! }
`);

function shape(document: string, variables?: Record<string, unknown>) {
  const parsed = parse(document);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of parsed.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const operation = parsed.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  ) as OperationDefinitionNode;
  return measureOperation(schema, operation, fragments, variables);
}

const representations = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ __typename: 'Loan', id: `l${index}` }));

test('depth counts nested fields, through named and inline fragments', () => {
  assert.equal(shape('{ a }').depth, 1);
  assert.equal(shape('{ a { b { c } } }').depth, 3);
  assert.equal(shape('{ a { ...F } } fragment F on Item { b { c { d } } }').depth, 4);
  assert.equal(shape('{ a { ... on Item { b { id } } } }').depth, 3);
});

test('aliases are counted in fragments too', () => {
  assert.equal(shape('{ x: a { id } y: a { z: b { id } } }').aliases, 3);
  assert.equal(shape('{ ...F ...F } fragment F on Query { x: b }').aliases, 2);
});

test('cost multiplies by the page size of every list above a field', () => {
  assert.equal(shape('{ a b }').cost, 2);
  assert.equal(shape('{ list(first: 10) { id } }').cost, 1 + 10);
  assert.equal(shape('{ list(first: 10) { inner(first: 5) { id } } }').cost, 1 + 10 + 50);
  assert.equal(
    shape('query($n: Int) { list(first: $n) { id } }').cost,
    1 + 100,
    'a variable page size is priced at the maximum',
  );
  assert.equal(shape('{ list { id } }').cost, 1 + 20, 'a missing page size is priced at the default');
  assert.equal(shape('{ a { b { id } } }').cost, 3, 'fields that take no page size are not multiplied');
});

test('cost multiplies by every list: a bounding argument, a known bound, a default for lists without one', () => {
  assert.equal(shape('{ scheduleQuote(termMonths: 360) { period amount } }').cost, 1 + 360 * 2);
  assert.equal(shape('{ scheduleQuote(termMonths: 12) { period } }').cost, 1 + 12);
  assert.equal(shape('{ scheduleQuote(termMonths: 100000) { period } }').cost, 1 + 360, 'clamped to the contract');
  assert.equal(
    shape('query($n: Int!) { scheduleQuote(termMonths: $n) { period } }').cost,
    1 + 360,
    'a variable term is priced at its maximum',
  );
  assert.equal(shape('{ loan { schedule { period amount } } }').cost, 1 + 1 + 36 * 2, 'a schedule has 36 rows at most');
  assert.equal(
    shape('{ loans(first: 10) { edges { node { schedule { period } } } } }').cost,
    1 + 10 + 10 + 10 + 360,
    'edges are the page already counted at loans; each loan multiplies its schedule',
  );
  assert.equal(shape('{ items { id } }').cost, 1 + 100, 'a list with no known bound is priced at the default');
  assert.equal(shape('{ tags }').cost, 1, 'a list of scalars costs its field');
});

test("_entities is priced by its representations, literal or variable: each 1 plus the entity's selection", () => {
  assert.equal(
    shape('{ _entities(representations: [{ id: "1" }, { id: "2" }, { id: "3" }]) { id } }').cost,
    1 + 3 * (1 + 1),
  );
  assert.equal(
    shape('{ _entities(representations: { id: "1" }) { id schedule { period } } }').cost,
    1 + 1 * (1 + 1 + 1 + 36),
    'one value is a list of one',
  );
  const query = 'query($r: [_Any!]!) { _entities(representations: $r) { id schedule { period } } }';
  assert.equal(shape(query, { r: representations(10) }).cost, 1 + 10 * (1 + 1 + 1 + 36));
  assert.equal(
    shape(query).cost,
    1 + 1 * (1 + 1 + 1 + 36),
    'validation, without the values, counts one; the request is priced again with them',
  );
});

test('a direct call with 10,000 representations is refused with its variables; a page of 100 passes', () => {
  const limits = { depthMax: 12, aliasesMax: 30, costMax: 20_000 };
  const document = parse('query($r: [_Any!]!) { _entities(representations: $r) { ... on Loan { id title } } }');
  const operation = document.definitions[0] as OperationDefinitionNode;
  const refused = refuseCostlyOperation(schema, document, operation, { r: representations(10_000) }, limits);
  assert.deepEqual(refused?.extensions, {
    code: 'BAD_USER_INPUT',
    limit: 'cost',
    actual: 1 + 10_000 * (1 + 2),
    max: 20_000,
    http: { status: 400 },
  });
  assert.equal(refuseCostlyOperation(schema, document, operation, { r: representations(100) }, limits), undefined);
});

test('10,000 id-only representations are refused, literal or variable; 100 pass', () => {
  const limits = { depthMax: 12, aliasesMax: 30, costMax: 20_000 };
  const literal = (count: number) =>
    parse(`{ _entities(representations: [${'{ __typename: "Loan", id: "l" } '.repeat(count)}]) { id } }`);
  const byVariable = parse('query($r: [_Any!]!) { _entities(representations: $r) { id } }');
  const refusal = (document: DocumentNode, variables: Record<string, unknown> = {}) =>
    refuseCostlyOperation(schema, document, document.definitions[0] as OperationDefinitionNode, variables, limits)
      ?.extensions;
  const refused = { code: 'BAD_USER_INPUT', limit: 'cost', actual: 1 + 10_000 * 2, max: 20_000, http: { status: 400 } };
  assert.deepEqual(refusal(byVariable, { r: representations(10_000) }), refused);
  assert.deepEqual(refusal(literal(10_000)), refused);
  assert.deepEqual(
    validate(schema, literal(10_000), [queryLimitsRule(limits)]).map((error) => error.extensions),
    [refused],
    'a literal list is refused by validation already',
  );
  assert.equal(refusal(byVariable, { r: representations(100) }), undefined);
  assert.equal(refusal(literal(100)), undefined);
});

test('thirty aliases of a 360-row scheduleQuote are refused at the default ceiling', () => {
  const aliases = Array.from(
    { length: 30 },
    (_, index) => `q${index}: scheduleQuote(termMonths: 360) { period amount }`,
  ).join(' ');
  const errors = validate(schema, parse(`{ ${aliases} }`), [
    queryLimitsRule({ depthMax: 12, aliasesMax: 30, costMax: 20_000 }),
  ]);
  assert.deepEqual(
    errors.map((error) => error.extensions.limit),
    ['cost'],
  );
});

test('a fragment cycle is cut instead of recursing forever', () => {
  assert.equal(shape('{ ...A } fragment A on Query { a { ...B } } fragment B on Item { ...A }').depth, 1);
});

test('the validation rule reports each exceeded limit with BAD_USER_INPUT', () => {
  const rule = queryLimitsRule({ depthMax: 3, aliasesMax: 1, costMax: 3 });
  assert.deepEqual(validate(schema, parse('{ node { next { id } } }'), [rule]), []);
  const errors = validate(schema, parse('{ a: node { b: next { next { id } } } }'), [rule]);
  assert.deepEqual(
    errors.map((error) => error.extensions.code),
    ['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT'],
  );
  assert.deepEqual(
    errors.map((error) => error.extensions.limit),
    ['depth', 'aliases', 'cost'],
  );
});
