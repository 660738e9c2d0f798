import { buildOperationContext, executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan } from '@apollo/query-planner';
import {
  Kind,
  parse,
  print,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { assert, type Logger } from '@wanxin/platform';
import type { GatewayContext } from '../context';
import { EVENTS_SUBGRAPH_NAME } from './events-subgraph';

/** Distinct subscription documents whose plan is kept; the oldest plan is dropped first. */
const PLANS_CACHED_MAX = 1000;

/** A subscription operation planned once: the primary fetch (fed by events) followed by the fetches of the rest. */
export interface PlannedSubscription {
  document: DocumentNode;
  /** The document printed once: the request every execution describes. */
  query: string;
  operationName: string | undefined;
  plan: QueryPlan;
  operationContext: ReturnType<typeof buildOperationContext>;
  primaryOperation: DocumentNode;
}

/** The request context `executeQueryPlan` reads: the request's variables, the context handed to data sources, a logger. */
type ExecutionRequestContext = Parameters<typeof executeQueryPlan>[2];

/** Copies what a fetch's selection asks for out of an event's root value (aliases, fragments and `__typename` included). */
function selectFrom(
  selectionSet: SelectionSetNode,
  value: unknown,
  fragments: Map<string, FragmentDefinitionNode>,
): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const selected: Record<string, unknown> = {};
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = source[selection.name.value];
      selected[selection.alias?.value ?? selection.name.value] = selection.selectionSet
        ? selectFrom(selection.selectionSet, field, fragments)
        : (field ?? null);
    } else {
      const inner =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.selectionSet
          : fragments.get(selection.name.value)?.selectionSet;
      if (inner !== undefined) Object.assign(selected, selectFrom(inner, value, fragments));
    }
  }
  return selected;
}

/** Answers the primary fetch of one execution with the event's root value: the events schema is never called over HTTP. */
class EventDataSource implements GraphQLDataSource<GatewayContext> {
  constructor(
    private readonly operation: DocumentNode,
    private readonly root: Record<string, unknown>,
  ) {}

  async process(): Promise<{ data: Record<string, unknown> }> {
    const definitions = this.operation.definitions;
    const fragments = new Map(
      definitions
        .filter((node): node is FragmentDefinitionNode => node.kind === Kind.FRAGMENT_DEFINITION)
        .map((node) => [node.name.value, node]),
    );
    const operation = definitions.find((node) => node.kind === Kind.OPERATION_DEFINITION);
    assert(
      operation !== undefined && operation.kind === Kind.OPERATION_DEFINITION,
      'the primary fetch has an operation',
    );
    return { data: selectFrom(operation.selectionSet, this.root, fragments) as Record<string, unknown> };
  }
}

/**
 * Event-driven subscriptions over Apollo's own planner and executor: `QueryPlanner` plans a
 * subscription as `{ primary, rest }`; each event runs `Sequence[primary, rest]`, the primary answered
 * from the event (EventDataSource) and the rest fetched from the owning subgraphs as the viewer.
 */
export class SubscriptionExecutor {
  /** The public schema, Subscription included: documents are validated against it. */
  readonly apiSchema: GraphQLSchema;
  private readonly api: Schema;
  private readonly supergraphSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;
  private readonly dataSources: ServiceMap = Object.create(null);
  private readonly plans = new Map<string, PlannedSubscription>();

  constructor(
    supergraphSdl: string,
    dataSourceFor: (name: string, url: string) => GraphQLDataSource,
    private readonly logger: Logger,
  ) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.api = supergraph.apiSchema();
    this.apiSchema = this.api.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
    for (const { name, url } of supergraph.subgraphsMetadata()) {
      if (name !== EVENTS_SUBGRAPH_NAME) this.dataSources[name] = dataSourceFor(name, url);
    }
    assert(Object.keys(this.dataSources).length > 0, 'the supergraph has subgraphs');
  }

  /** Plans a validated subscription document (once per distinct document and operation name). */
  plan(document: DocumentNode, operationName: string | undefined): PlannedSubscription {
    const query = print(document);
    const cacheKey = `${operationName ?? ''}\n${query}`;
    const cached = this.plans.get(cacheKey);
    if (cached !== undefined) return cached;
    const built = this.planner.buildQueryPlan(operationFromDocument(this.api, document, { operationName }));
    const node = built.node;
    assert(
      node !== undefined && node.kind === 'Subscription',
      `a subscription plans as primary + rest, got ${node?.kind}`,
    );
    assert(
      node.primary.serviceName === EVENTS_SUBGRAPH_NAME,
      `subscriptions start at the events schema, not ${node.primary.serviceName}`,
    );
    const planned: PlannedSubscription = {
      document,
      query,
      operationName,
      plan: {
        kind: 'QueryPlan',
        node: node.rest === undefined ? node.primary : { kind: 'Sequence', nodes: [node.primary, node.rest] },
      },
      operationContext: buildOperationContext({ schema: this.apiSchema, operationDocument: document, operationName }),
      primaryOperation: parse(node.primary.operation),
    };
    this.plans.set(cacheKey, planned);
    if (this.plans.size > PLANS_CACHED_MAX) this.plans.delete(this.plans.keys().next().value as string);
    return planned;
  }

  /** One execution for one event: the payload every subscriber of this (document, variables, viewer) receives. */
  async execute(
    planned: PlannedSubscription,
    variables: Record<string, unknown>,
    root: Record<string, unknown>,
    context: GatewayContext,
    formatError: (error: GraphQLFormattedError, original: unknown) => GraphQLFormattedError,
  ): Promise<ExecutionResult> {
    const serviceMap: ServiceMap = {
      ...this.dataSources,
      [EVENTS_SUBGRAPH_NAME]: new EventDataSource(planned.primaryOperation, root),
    };
    const requestContext = {
      request: { query: planned.query, variables, operationName: planned.operationName },
      context,
      logger: this.logger,
      metrics: {},
    } as unknown as ExecutionRequestContext;
    const result = await executeQueryPlan(
      planned.plan,
      serviceMap,
      requestContext,
      planned.operationContext,
      this.supergraphSchema,
      this.api,
    );
    const errors = result.errors?.map((error) => formatError(error.toJSON(), error));
    return { data: result.data ?? null, ...(errors === undefined ? {} : { errors: errors as never }) };
  }
}
