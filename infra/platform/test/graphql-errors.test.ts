// Proves how the error formatter codes GraphQL validation errors: a literal its type refuses (an unknown enum
// value, a string for an Int, a missing or unknown input field) is BAD_USER_INPUT, as the same value in a
// variable is; any other validation error (an unknown field) keeps GRAPHQL_VALIDATION_FAILED. The messages
// come from graphql-js's own validation, so a wording change there fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema, parse, validate } from 'graphql';
import { createErrorFormatter } from '../src';

const schema = buildSchema(`
  enum Direction { ASC DESC }
  input Order { field: String!, direction: Direction! }
  type Query { list(direction: Direction, first: Int, order: Order): Int }
`);

/** The code the formatter gives the validation error of `document`, as Apollo Server hands it over. */
function codeOf(document: string): unknown {
  const errors = validate(schema, parse(document));
  assert.equal(errors.length, 1, JSON.stringify(errors));
  const shaped = { message: errors[0].message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
  return createErrorFormatter(true)(shaped, errors[0]).extensions?.code;
}

test('a literal its type refuses is BAD_USER_INPUT', () => {
  assert.equal(codeOf('{ list(direction: UP) }'), 'BAD_USER_INPUT');
  assert.equal(codeOf('{ list(direction: "ASC") }'), 'BAD_USER_INPUT');
  assert.equal(codeOf('{ list(first: "ten") }'), 'BAD_USER_INPUT');
  assert.equal(codeOf('{ list(first: 1.5) }'), 'BAD_USER_INPUT');
  assert.equal(codeOf('{ list(order: { direction: ASC }) }'), 'BAD_USER_INPUT');
  assert.equal(codeOf('{ list(order: { field: "a", direction: ASC, size: 1 }) }'), 'BAD_USER_INPUT');
});

test('any other validation error keeps GRAPHQL_VALIDATION_FAILED', () => {
  assert.equal(codeOf('{ list nothing }'), 'GRAPHQL_VALIDATION_FAILED');
  assert.equal(codeOf('{ list(size: 1) }'), 'GRAPHQL_VALIDATION_FAILED');
});
