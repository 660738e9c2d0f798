export * from './change-tags';
export * from './subgraph-plugin';
export * from './viewer-observation';
