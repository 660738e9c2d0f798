// Proves the API schema front ends see (the composed supergraph less its federation machinery) documents
// itself and follows the conventions, with graphql-schema-linter. Rules, all of them errors:
// - every type, field, argument, enum value and input field has a description, capitalized;
//   a deprecation gives its reason;
// - Relay cursor connections: `<X>Connection` types have `edges` and `pageInfo: PageInfo!`, edges have
//   `node` and `cursor`, fields returning a connection take `first`/`after`, PageInfo has
//   hasNextPage/hasPreviousPage (the linter) and startCursor/endCursor (checked here: the linter does not);
// - type names capitalized, fields and input fields camelCase, enum values ALL_CAPS, no unused type.
// The linter's *-sorted-alphabetically rules are left out on purpose: enum values follow the lifecycle
// (PENDING_REVIEW → … → SETTLED) and fields and arguments keep the contract's order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { printSchema, type GraphQLObjectType } from 'graphql';
import { configuration, validator } from 'graphql-schema-linter';
import { REPOSITORY_ROOT } from './harness/processes';

const RULES = [
  'types-have-descriptions',
  'fields-have-descriptions',
  'arguments-have-descriptions',
  'enum-values-have-descriptions',
  'input-object-values-have-descriptions',
  'descriptions-are-capitalized',
  'deprecations-have-a-reason',
  'relay-connection-types-spec',
  'relay-connection-arguments-spec',
  'relay-page-info-spec',
  'types-are-capitalized',
  'fields-are-camel-cased',
  'input-object-values-are-camel-cased',
  'enum-values-all-caps',
  'defined-types-are-used',
] as const;

/** Every violation of RULES in the SDL, as "rule: message" lines. */
function lint(sdl: string): string[] {
  const schema = { definition: sdl, sourceMap: null };
  const linterConfiguration = new configuration.Configuration(schema, { rules: RULES });
  assert.deepEqual(linterConfiguration.validate(), [], 'every rule name is one the linter knows');
  assert.equal(linterConfiguration.getRules().length, RULES.length);
  return validator
    .validateSchemaDefinition(schema, linterConfiguration.getRules(), linterConfiguration)
    .map((violation) => `${violation.ruleName}: ${violation.message}`);
}

function apiSchema() {
  const supergraphSdl = fs.readFileSync(path.join(REPOSITORY_ROOT, 'schema', 'supergraph.graphql'), 'utf8');
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

test('the API schema passes the schema linter: documented, Relay connections, naming', () => {
  const sdl = printSchema(apiSchema());
  assert.match(sdl, /type LoanConnection \{/, 'the API schema is the composed one, with its connections');
  assert.deepEqual(lint(sdl), []);
});

test("the API schema's PageInfo has the Relay cursor spec's four fields", () => {
  const pageInfo = apiSchema().getType('PageInfo') as GraphQLObjectType;
  const fields = Object.values(pageInfo.getFields())
    .map((field) => `${field.name}: ${String(field.type)}`)
    .sort();
  assert.deepEqual(fields, [
    'endCursor: String',
    'hasNextPage: Boolean!',
    'hasPreviousPage: Boolean!',
    'startCursor: String',
  ]);
});

test('the linter, with these rules, reports what the API schema must not have', () => {
  const violations = lint(`
    """Reads."""
    type Query {
      """Loans."""
      loans("""Rows.""" first: Int, """Cursor.""" after: String): LoanConnection!
      undocumented(id: ID): Status
    }
    """A page."""
    type LoanConnection {
      """Rows."""
      edges: [LoanEdge!]!
      """Where it sits."""
      pageInfo: PageInfo!
    }
    """A row."""
    type LoanEdge {
      """The cursor."""
      cursor: String!
      """The node."""
      node: Loan!
    }
    type Loan {
      """Its id."""
      id: ID!
    }
    """Where a page sits."""
    type PageInfo {
      """More follow."""
      hasNextPage: Boolean!
      """the last cursor."""
      endCursor: String
    }
    """A status."""
    enum Status {
      """Open."""
      open
    }
  `);
  for (const expected of [
    'types-have-descriptions: The object type `Loan` is missing a description.',
    'fields-have-descriptions: The field `Query.undocumented` is missing a description.',
    'arguments-have-descriptions: The `id` argument of `undocumented` is missing a description.',
    'descriptions-are-capitalized: The description for field `PageInfo.endCursor` should be capitalized.',
    'enum-values-all-caps: The enum value `Status.open` should be uppercase.',
  ]) {
    assert.ok(violations.includes(expected), `reports ${expected}\nreported:\n${violations.join('\n')}`);
  }
  const pageInfoViolations = violations.filter((violation) => violation.startsWith('relay-page-info-spec: '));
  assert.ok(
    pageInfoViolations.some((violation) => violation.includes('hasPreviousPage')),
    violations.join('\n'),
  );
  assert.equal(violations.length, 6, violations.join('\n'));
});
