import {
  getNamedType, GraphQLError, isInterfaceType, isObjectType, Kind, type ASTVisitor, type FieldNode, type FragmentDefinitionNode,
  type GraphQLField, type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/** Ceilings on one operation, checked before any subgraph is called. */
export interface QueryLimits {
  depthMax: number;
  aliasesMax: number;
  costMax: number;
}

/** A page whose size is a variable is priced at the contract's maximum, a missing one at the default. */
const PAGE_SIZE_MAX = 100;
const PAGE_SIZE_DEFAULT = 20;

interface OperationShape {
  depth: number;
  aliases: number;
  cost: number;
}

/** How many items a field multiplies its selection by: a paginated field (one taking `first`) its page size. */
function listFactor(field: FieldNode, definition: GraphQLField<unknown, unknown> | undefined): number {
  if (definition === undefined || !definition.args.some((argument) => argument.name === 'first')) return 1;
  const first = field.arguments?.find((argument) => argument.name.value === 'first');
  if (first === undefined) return PAGE_SIZE_DEFAULT;
  if (first.value.kind === Kind.INT) return Math.max(1, Math.min(Number(first.value.value), PAGE_SIZE_MAX));
  return PAGE_SIZE_MAX;
}

interface MeasureScope {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  visiting: Set<string>;
}

function typeNamed(schema: GraphQLSchema, name: string | undefined): GraphQLNamedType | undefined {
  return name === undefined ? undefined : schema.getType(name) ?? undefined;
}

/**
 * Measures a selection with fragments expanded: depth of nested fields, number of aliases, and cost
 * (each field 1, multiplied by the page sizes of the paginated fields above it). Fragment cycles are
 * cut (GraphQL's own validation reports them); unknown fields count as plain fields.
 */
function measure(selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined, multiplier: number, scope: MeasureScope): OperationShape {
  const shape: OperationShape = { depth: 0, aliases: 0, cost: 0 };
  for (const selection of selectionSet.selections) {
    let inner: OperationShape;
    if (selection.kind === Kind.FIELD) {
      const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      const childMultiplier = multiplier * listFactor(selection, definition);
      const childType = definition === undefined ? undefined : getNamedType(definition.type);
      const child = selection.selectionSet ? measure(selection.selectionSet, childType, childMultiplier, scope) : { depth: 0, aliases: 0, cost: 0 };
      inner = { depth: child.depth + 1, aliases: child.aliases + (selection.alias ? 1 : 0), cost: child.cost + multiplier };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, typeNamed(scope.schema, selection.typeCondition?.name.value) ?? parent, multiplier, scope);
    } else {
      const name = selection.name.value;
      const fragment = scope.fragments.get(name);
      if (fragment === undefined || scope.visiting.has(name)) continue;
      scope.visiting.add(name);
      inner = measure(fragment.selectionSet, typeNamed(scope.schema, fragment.typeCondition.name.value), multiplier, scope);
      scope.visiting.delete(name);
    }
    shape.depth = Math.max(shape.depth, inner.depth);
    shape.aliases += inner.aliases;
    shape.cost += inner.cost;
  }
  return shape;
}

export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
): OperationShape {
  const root = schema.getRootType(operation.operation) ?? undefined;
  return measure(operation.selectionSet, root, 1, { schema, fragments, visiting: new Set() });
}

function limitError(what: string, actual: number, max: number, operation: OperationDefinitionNode): GraphQLError {
  return new GraphQLError(`Query ${what} ${actual} exceeds the maximum ${max}`, {
    nodes: [operation],
    extensions: { code: 'BAD_USER_INPUT', limit: what, actual, max },
  });
}

/** A validation rule enforcing `limits` on every operation of a document. */
export function queryLimitsRule(limits: QueryLimits) {
  return (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const shape = measureOperation(context.getSchema(), definition, fragments);
        if (shape.depth > limits.depthMax) context.reportError(limitError('depth', shape.depth, limits.depthMax, definition));
        if (shape.aliases > limits.aliasesMax) context.reportError(limitError('aliases', shape.aliases, limits.aliasesMax, definition));
        if (shape.cost > limits.costMax) context.reportError(limitError('cost', shape.cost, limits.costMax, definition));
      }
      return false;
    },
  });
}
