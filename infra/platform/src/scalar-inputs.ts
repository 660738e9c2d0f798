import {
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLInputType,
  type GraphQLScalarType,
  type GraphQLSchema,
  type ArgumentNode,
  type ObjectFieldNode,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import { requestRefused } from './errors';
import { PLATFORM_SCALARS } from './scalars';

/** The platform's definition of an input type that is one of its custom scalars (`Money!` included). */
function platformScalarOf(type: GraphQLInputType | null | undefined): GraphQLScalarType | undefined {
  const nullable = type ? getNullableType(type) : undefined;
  return isScalarType(nullable) ? PLATFORM_SCALARS.get(nullable.name) : undefined;
}

function refusal(field: string, error: unknown, node?: ASTNode): GraphQLError {
  return requestRefused(`Invalid ${field}: ${error instanceof Error ? error.message : String(error)}`, { field }, node);
}

const VALUE_KINDS: ReadonlySet<string> = new Set([
  Kind.STRING,
  Kind.INT,
  Kind.FLOAT,
  Kind.BOOLEAN,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
]);

/** The first literal of a custom scalar, in the operation or the fragments it may spread, that its scalar refuses. */
function refuseLiterals(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): GraphQLError | undefined {
  const typeInfo = new TypeInfo(schema);
  // Argument and input-field names down to the value being visited: "input.amount" ("$amount" for a default value).
  const names: string[] = [];
  const named = <TNode>(nameOf: (node: TNode) => string) => ({
    enter: (node: TNode) => void names.push(nameOf(node)),
    leave: () => void names.pop(),
  });
  let refused: GraphQLError | undefined;
  const visitor = visitWithTypeInfo(typeInfo, {
    Argument: named((node: ArgumentNode) => node.name.value),
    ObjectField: named((node: ObjectFieldNode) => node.name.value),
    VariableDefinition: named((node: VariableDefinitionNode) => `$${node.variable.name.value}`),
    enter(node: ASTNode) {
      const scalar = platformScalarOf(typeInfo.getInputType());
      if (refused !== undefined || scalar === undefined || !VALUE_KINDS.has(node.kind)) return;
      try {
        scalar.parseLiteral(node as Parameters<GraphQLScalarType['parseLiteral']>[0], undefined);
      } catch (error) {
        refused = refusal(names.join('.'), error, node);
      }
    },
  });
  const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  for (const definition of [operation, ...fragments]) visit(definition, visitor);
  return refused;
}

/** The first custom-scalar value inside a variable's value that its scalar refuses, with its path ("$input.amount"). */
function refuseValue(value: unknown, type: GraphQLInputType, path: string): GraphQLError | undefined {
  if (value === null || value === undefined) return undefined;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items: unknown[] = Array.isArray(value) ? value : [value];
    for (const [index, item] of items.entries()) {
      const refused = refuseValue(item, nullable.ofType, Array.isArray(value) ? `${path}[${index}]` : path);
      if (refused !== undefined) return refused;
    }
    return undefined;
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    for (const field of Object.values(nullable.getFields())) {
      const refused = refuseValue((value as Record<string, unknown>)[field.name], field.type, `${path}.${field.name}`);
      if (refused !== undefined) return refused;
    }
    return undefined;
  }
  const scalar = platformScalarOf(nullable);
  try {
    scalar?.parseValue(value);
    return undefined;
  } catch (error) {
    return refusal(path, error);
  }
}

/**
 * Checks every custom-scalar value a client sends, literal or variable, against the platform's own scalar
 * definitions, and names the argument or variable it was given as. The gateway runs this before planning:
 * the supergraph knows its scalars by name only, so without it a bad amount reached a subgraph, whose
 * refusal came back as a transport failure. Other mistakes in variables (a missing one, a wrong enum value)
 * are left to GraphQL's own coercion. Returns the first refusal (HTTP 400, BAD_USER_INPUT), if any.
 */
export function refuseBadScalarInput(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): GraphQLError | undefined {
  const literal = refuseLiterals(schema, document, operation);
  if (literal !== undefined) return literal;
  for (const definition of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    const name = definition.variable.name.value;
    const refused = type === undefined ? undefined : refuseValue(variables[name], type, `$${name}`);
    if (refused !== undefined) return refused;
  }
  return undefined;
}
