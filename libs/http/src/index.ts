// The HTTP front and the error vocabulary every process shares (the gateway and the
// subgraphs alike): no ORM, no authorisation, no audit here.
export * from './errors';
export * as validate from './validate';
export * from './http';
export * from './tls';
export * from './service';
export * from './rest';
