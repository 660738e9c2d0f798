import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import type { EnvReader } from './env-reader';

/** Ceilings on one operation, checked by the gateway before any subgraph is called and by every subgraph again. */
export interface QueryLimits {
  depthMax: number;
  aliasesMax: number;
  costMax: number;
}

export function readQueryLimits(reader: EnvReader): QueryLimits {
  return {
    depthMax: reader.int('QUERY_DEPTH_MAX', 12, 1, 12),
    aliasesMax: reader.int('QUERY_ALIASES_MAX', 30, 0, 30),
    costMax: reader.int('QUERY_COST_MAX', 20_000, 1, 1_000_000),
  };
}

/** A page whose size is a variable is priced at the contract's maximum, a missing one at the default. */
const PAGE_SIZE_MAX = 100;
const PAGE_SIZE_DEFAULT = 20;
/** A list field with no known bound is priced as this many items. */
const LIST_SIZE_DEFAULT = 100;

/**
 * How many items a list field returns at most: a fixed number, an Int argument's value clamped to its range,
 * or as many as a list argument has items (`lengthOf`), each of which the field itself pays `costPerItem` for.
 */
type ListBound = number | { argument: string; min: number; max: number } | { lengthOf: string; costPerItem: number };

/**
 * The known sizes of the schema's list fields, by `Type.field`. A connection's `edges` are its page, already
 * counted at the field that took `first`; a field not named here is priced at its `first` or the default.
 */
export const LIST_BOUNDS: Readonly<Record<string, ListBound>> = {
  'LoanConnection.edges': 1,
  'BidConnection.edges': 1,
  'ReceivableConnection.edges': 1,
  'DepositoryTransactionConnection.edges': 1,
  'CreditApplicationConnection.edges': 1,
  'CollectionCaseConnection.edges': 1,
  'InstallmentConnection.edges': 1,
  'UserConnection.edges': 1,
  'UserAdminActionConnection.edges': 1,
  /** repayments keeps at most 100 notes per case (COLLECTION_NOTES_PER_CASE_MAX). */
  'CollectionCase.notes': 100,
  /** repayments allows at most 20 waivers per installment (WAIVERS_PER_INSTALLMENT_MAX). */
  'Installment.penaltyWaivers': 20,
  /** users shows at most 20 answers per application (RISK_REPORTS_SHOWN_MAX); the provider answers one once. */
  'CreditApplication.riskReports': 20,
  /** A loan runs 36 months at most: one row per month. */
  'Loan.schedule': 36,
  'Query.scheduleQuote': { argument: 'termMonths', min: 1, max: 360 },
  /** Four reminder kinds per installment. */
  'Query.reminders': 36 * 4,
  'BankRedirect.fields': 20,
  /**
   * One entity per representation, each resolved by its own lookup: a representation costs 1, as the field
   * that refers to the entity does at the gateway, plus its selection. 10,000 id-only representations cost
   * 20,001, above the default ceiling. The gateway sends one per item it priced above the entity boundary
   * (deduplicated), with that item's selection, so its plans stay within the ceiling its own query passed.
   */
  'Query._entities': { lengthOf: 'representations', costPerItem: 1 },
};

interface OperationShape {
  depth: number;
  aliases: number;
  cost: number;
}

function intArgument(field: FieldNode, name: string): number | 'variable' | undefined {
  const argument = field.arguments?.find((candidate) => candidate.name.value === name);
  if (argument === undefined) return undefined;
  return argument.value.kind === Kind.INT ? Number(argument.value.value) : 'variable';
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(value, max));

/** Variable values, when known (a request's); validation runs without them. */
type VariableValues = Readonly<Record<string, unknown>> | undefined;

/**
 * The number of items a list argument holds: a literal list's length, a variable's array length. A single
 * value (GraphQL coerces it to a list of one), or a variable not known yet, counts as one; a request's
 * variables are priced again by `refuseCostlyOperation`.
 */
function listArgumentLength(field: FieldNode, name: string, variables: VariableValues): number {
  const value = field.arguments?.find((candidate) => candidate.name.value === name)?.value;
  if (value === undefined) return 0;
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind !== Kind.VARIABLE) return 1;
  const given = variables?.[value.name.value];
  return Array.isArray(given) ? given.length : 1;
}

/**
 * How many items a field multiplies its selection by: a list field its known bound (LIST_BOUNDS), else its
 * page size (`first`), else the default list size; a field that is not a list (nor paginated) 1.
 */
function listFactor(
  field: FieldNode,
  parent: GraphQLNamedType | undefined,
  definition: GraphQLField<unknown, unknown> | undefined,
  variables: VariableValues,
): number {
  if (definition === undefined) return 1;
  const bound = LIST_BOUNDS[`${parent?.name}.${definition.name}`];
  if (typeof bound === 'number') return bound;
  if (bound !== undefined && 'lengthOf' in bound) return listArgumentLength(field, bound.lengthOf, variables);
  if (bound !== undefined) {
    const value = intArgument(field, bound.argument);
    return typeof value === 'number' ? clamp(value, bound.min, bound.max) : bound.max;
  }
  if (definition.args.some((argument) => argument.name === 'first')) {
    const first = intArgument(field, 'first');
    if (first === undefined) return PAGE_SIZE_DEFAULT;
    return first === 'variable' ? PAGE_SIZE_MAX : clamp(first, 1, PAGE_SIZE_MAX);
  }
  return isListType(getNullableType(definition.type)) ? LIST_SIZE_DEFAULT : 1;
}

/** What a field costs for each item of its parent: 1, plus its items' own price when its list has one. */
function fieldCost(
  parent: GraphQLNamedType | undefined,
  definition: GraphQLField<unknown, unknown> | undefined,
  listSize: number,
): number {
  const bound = definition === undefined ? undefined : LIST_BOUNDS[`${parent?.name}.${definition.name}`];
  return bound !== undefined && typeof bound === 'object' && 'costPerItem' in bound
    ? 1 + bound.costPerItem * listSize
    : 1;
}

interface MeasureScope {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  visiting: Set<string>;
  variables: VariableValues;
}

function typeNamed(schema: GraphQLSchema, name: string | undefined): GraphQLNamedType | undefined {
  return name === undefined ? undefined : (schema.getType(name) ?? undefined);
}

/**
 * Measures a selection with fragments expanded: depth of nested fields, number of aliases, and cost
 * (each field 1, or `fieldCost`, multiplied by the sizes of the lists above it). Fragment cycles are
 * cut (GraphQL's own validation reports them); unknown fields count as plain fields.
 */
function measure(
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType | undefined,
  multiplier: number,
  scope: MeasureScope,
): OperationShape {
  const shape: OperationShape = { depth: 0, aliases: 0, cost: 0 };
  for (const selection of selectionSet.selections) {
    let inner: OperationShape;
    if (selection.kind === Kind.FIELD) {
      const definition =
        isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      const listSize = listFactor(selection, parent, definition, scope.variables);
      const childMultiplier = multiplier * listSize;
      const childType = definition === undefined ? undefined : getNamedType(definition.type);
      const child = selection.selectionSet
        ? measure(selection.selectionSet, childType, childMultiplier, scope)
        : { depth: 0, aliases: 0, cost: 0 };
      inner = {
        depth: child.depth + 1,
        aliases: child.aliases + (selection.alias ? 1 : 0),
        cost: child.cost + multiplier * fieldCost(parent, definition, listSize),
      };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(
        selection.selectionSet,
        typeNamed(scope.schema, selection.typeCondition?.name.value) ?? parent,
        multiplier,
        scope,
      );
    } else {
      const name = selection.name.value;
      const fragment = scope.fragments.get(name);
      if (fragment === undefined || scope.visiting.has(name)) continue;
      scope.visiting.add(name);
      inner = measure(
        fragment.selectionSet,
        typeNamed(scope.schema, fragment.typeCondition.name.value),
        multiplier,
        scope,
      );
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
  variables?: Readonly<Record<string, unknown>>,
): OperationShape {
  const root = schema.getRootType(operation.operation) ?? undefined;
  return measure(operation.selectionSet, root, 1, { schema, fragments, visiting: new Set(), variables });
}

/** A refused operation: HTTP 400 (nothing ran), BAD_USER_INPUT, the limit and both numbers. */
function limitError(what: string, actual: number, max: number, operation: OperationDefinitionNode): GraphQLError {
  return new GraphQLError(`Query ${what} ${actual} exceeds the maximum ${max}`, {
    nodes: [operation],
    extensions: { code: 'BAD_USER_INPUT', limit: what, actual, max, http: { status: 400 } },
  });
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * The cost ceiling again with the request's variables, for what validation cannot price: the length of a
 * list given as a variable (`_entities(representations: $representations)`). A subgraph runs it before
 * executing; undefined when the operation is within `limits.costMax`.
 */
export function refuseCostlyOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  limits: QueryLimits,
): GraphQLError | undefined {
  const { cost } = measureOperation(schema, operation, fragmentsOf(document), variables);
  return cost > limits.costMax ? limitError('cost', cost, limits.costMax, operation) : undefined;
}

/** A validation rule enforcing `limits` on every operation of a document. */
export function queryLimitsRule(limits: QueryLimits) {
  return (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      const fragments = fragmentsOf(document);
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const shape = measureOperation(context.getSchema(), definition, fragments);
        if (shape.depth > limits.depthMax)
          context.reportError(limitError('depth', shape.depth, limits.depthMax, definition));
        if (shape.aliases > limits.aliasesMax)
          context.reportError(limitError('aliases', shape.aliases, limits.aliasesMax, definition));
        if (shape.cost > limits.costMax)
          context.reportError(limitError('cost', shape.cost, limits.costMax, definition));
      }
      return false;
    },
  });
}
