// Outbound connections to addresses a customer chose (webhooks, SSO issuers and
// their discovery documents) must not reach inside the platform. `isPublicAddress`
// says whether an IP literal is globally routable; `resolvePublic` resolves a name
// once and refuses it when any answer is not public; `guardedFetch` connects to
// exactly the address it checked (no second DNS resolution, so a rebinding answer
// cannot slip in between check and connect) and never follows redirects.
export { UnsafeAddressError, isPublicAddress, resolvePublic, type Lookup, type ResolvedAddress } from './address';
export { guardedFetch, type GuardedFetchOptions } from './fetch';
