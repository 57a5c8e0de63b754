export * from './errors';
export * as validate from './validate';
export * from './pagination';
export * from './http';
export * from './subgraph';
export * from './request-context';
export * from './server';
export * from './access-audit';
export * from './refs';
