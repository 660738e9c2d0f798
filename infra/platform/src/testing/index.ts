export * from './admin';
export * from './graphql-client';
export * from './services';
export * from './wait';
export * from './events';
export * from './migrations';
export * from './ports';
export * from './statistics';
