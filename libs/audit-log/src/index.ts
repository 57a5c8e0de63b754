export * from './event';
export * from './outbox';
export * from './relay';
