// The subgraph side: schema building, the request context, field rules, access audit,
// pagination. The HTTP front and errors live in @packets/http (re-exported here so
// resolvers keep one import).
export * from '@packets/http';
export * from './subgraph';
export * from './field-rules';
export * from './request-context';
export * from './server';
export * from './start-subgraph';
export * from './access-audit';
export * from './pagination';
export * from './refs';
