export * from './calendar';
export * from './expected-interest';
export * from './repayment-method';
export * from './schedule';
export * from './split';
