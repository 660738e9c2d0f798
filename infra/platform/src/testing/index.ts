export * from './graphql-client';
export * from './services';
