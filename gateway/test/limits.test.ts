// Proves the gateway's ceilings measure what they claim: depth counts nested fields through fragments,
// aliases are counted everywhere, cost multiplies by page sizes, and fragment cycles cannot hang it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema, parse, validate, Kind, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { measureOperation, queryLimitsRule } from '../src/limits';

const schema = buildSchema(`
  type Query { a: Item  b: Int  list(first: Int): [Item]  node: Node }
  type Item { id: ID  b: Item  c: Item  d: Int  inner(first: Int): [Item]  list(first: Int): [Item] }
  type Node { id: ID, next: Node }
`);

function shape(document: string) {
  const parsed = parse(document);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of parsed.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const operation = parsed.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  return measureOperation(schema, operation, fragments);
}

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
  assert.equal(shape('query($n: Int) { list(first: $n) { id } }').cost, 1 + 100, 'a variable page size is priced at the maximum');
  assert.equal(shape('{ list { id } }').cost, 1 + 20, 'a missing page size is priced at the default');
  assert.equal(shape('{ a { b { id } } }').cost, 3, 'fields that take no page size are not multiplied');
});

test('a fragment cycle is cut instead of recursing forever', () => {
  assert.equal(shape('{ ...A } fragment A on Query { a { ...B } } fragment B on Item { ...A }').depth, 1);
});

test('the validation rule reports each exceeded limit with BAD_USER_INPUT', () => {
  const rule = queryLimitsRule({ depthMax: 3, aliasesMax: 1, costMax: 3 });
  assert.deepEqual(validate(schema, parse('{ node { next { id } } }'), [rule]), []);
  const errors = validate(schema, parse('{ a: node { b: next { next { id } } } }'), [rule]);
  assert.deepEqual(errors.map((error) => error.extensions.code), ['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
  assert.deepEqual(errors.map((error) => error.extensions.limit), ['depth', 'aliases', 'cost']);
});
