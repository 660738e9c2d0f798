export * from './config';
export * from './gateway';
// The launcher composes the supergraph with the gateway's events-only schema (schema/events.graphql).
export { EVENTS_SUBGRAPH, EVENTS_SUBGRAPH_NAME } from './subscriptions/events-subgraph';
