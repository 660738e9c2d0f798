export * from './subgraphs';
export * from './deployment';
