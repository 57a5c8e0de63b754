export * from './event';
export * from './outbox';
export * from './relay';
export * from './chain';
export * from './export-format';
