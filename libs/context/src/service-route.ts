// The receiving side of every service protocol: one wrapper verifies the call (the
// signer's own key, audience, typ, expiry, body binding, and a sender the protocol
// allows), checks the payload, and answers every refusal in the one REST envelope.
import type { IncomingMessage } from 'node:http';
import { ErrorCode, restError, type RestAnswer, type Route } from '@packets/http';
import { PayloadError, routeKey, type ServiceName, type ServiceProtocol } from './protocols';
import { SERVICE_HEADER, verifyServiceCall, type ServiceKeys } from './service-call';

export interface VerifiedCall {
  /** the service whose key signed the call (not merely the one the token names) */
  caller: ServiceName;
  req: IncomingMessage;
}

export type ServiceHandler<P> = (input: P, call: VerifiedCall) => Promise<RestAnswer>;

/**
 * The route serving `p`, keyed "METHOD /path" for createHttpApp. `keys`: the public
 * keys the receiver holds; only those of the protocol's senders open this route.
 * 401 for a call that does not verify, 400 for a body that is not the payload.
 */
export function serviceRoute<P, R>(p: ServiceProtocol<P, R>, keys: ServiceKeys, handler: ServiceHandler<P>): Record<string, Route> {
  const senders: ServiceKeys = new Map([...keys].filter(([name]) => (p.senders as readonly string[]).includes(name)));
  if (senders.size === 0) throw new Error(`${p.receiver} holds no key of a sender of ${p.name} (${p.senders.join(', ')})`);
  const route: Route = async (req, body) => {
    const h = req.headers[SERVICE_HEADER];
    let caller: string;
    try {
      caller = (await verifyServiceCall(Array.isArray(h) ? h[0] : h, p.audience, body, senders, new Date(), p.typ)).service;
    } catch {
      return restError(401, ErrorCode.UNAUTHENTICATED, `The service token is missing, invalid or not accepted for ${p.name}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return restError(400, ErrorCode.BAD_USER_INPUT, 'The body must be JSON');
    }
    let input: P;
    try {
      input = p.parse(json);
    } catch (err) {
      if (err instanceof PayloadError) return restError(400, ErrorCode.BAD_USER_INPUT, err.message);
      throw err;
    }
    return handler(input, { caller: caller as ServiceName, req });
  };
  return { [routeKey(p)]: route };
}
