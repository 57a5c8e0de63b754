// @packets/context: who is calling, as the services prove it to each other.
// - request-context.ts: the gateway-signed request context every subgraph verifies;
// - service-call.ts: service-to-service tokens, signed with the caller's own key;
// - protocols.ts: every protocol between two services, declared once (and the evidence link);
// - service-route.ts: serviceRoute, the receiving side of a protocol.
export * from './request-context';
export * from './service-call';
export * from './protocols';
export * from './service-route';
