import type { RequestContextClaims } from '@packets/context';

export interface GatewayContext {
  claims: RequestContextClaims;
  /** signed context per subgraph, made once per request */
  signed: Map<string, string>;
}
