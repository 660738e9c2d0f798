export * from './event-feeds';
export * from './events-subgraph';
export * from './subscription-access';
export * from './subscription-executor';
export * from './subscription-hub';
export * from './subscription-metrics';
export * from './websocket-server';
