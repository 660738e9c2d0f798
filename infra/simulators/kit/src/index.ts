export * from './callbacks';
export * from './config';
export * from './domain/callback-schedule';
export * from './entities';
export * from './outage';
export * from './provider';
export * from './requests';
