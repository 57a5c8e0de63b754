// Bad input gets a clear error with extensions.code, never a stack trace, never a
// 500 without a code, and leaves nothing half written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, gql, signUp, uniqueEmail, PASSWORD, type GqlResponse, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, startTestStack } from './harness';

const SIGN_UP = `mutation($i: SignUpInput!) { signUp(input: $i) { token } }`;

describe('bad input', () => {
  let stack: Stack;
  let owner: SignedUp;

  beforeAll(async () => {
    stack = await startTestStack();
    owner = await signUp(stack.gatewayUrl, 'Input Org');
  });
  afterAll(() => stack?.stop());

  function clean(res: GqlResponse) {
    expect(res.raw).not.toMatch(/stacktrace|\n\s+at |node_modules/);
    expect(res.status).toBeLessThan(500);
    for (const e of res.errors ?? []) expect(typeof e.extensions?.code).toBe('string');
  }

  async function raw(body: string, contentType = 'application/json') {
    const res = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${owner.token}` }, body,
    });
    const text = await res.text();
    return { status: res.status, text, json: JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] } };
  }

  it('malformed GraphQL', async () => {
    const res = await gql(stack.gatewayUrl, '{ controls(first: 5 { edges }', {}, owner.token);
    clean(res);
    expect(codes(res)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('malformed JSON and wrong content type', async () => {
    const bad = await raw('{"query": ');
    expect(bad.status).toBe(400);
    expect(bad.json.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
    const text = await raw('query { viewer { user { id } } }', 'text/plain');
    expect(text.status).toBe(415);
    expect(text.json.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
  });

  it('unknown fields, without suggestions in production', async () => {
    const res = await gql(stack.gatewayUrl, '{ controls(first: 5) { edges { node { titl } } } }', {}, owner.token);
    clean(res);
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(res.raw).not.toContain('Did you mean');
  });

  it('wrong types', async () => {
    const res = await gql(stack.gatewayUrl, 'query($f: Int) { controls(first: $f) { edges { cursor } } }', { f: 'many' }, owner.token);
    clean(res);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const enumRes = await gql(stack.gatewayUrl, 'mutation { createControl(input: { title: "x", status: DONE }) { id } }', {}, owner.token);
    clean(enumRes);
    expect(codes(enumRes)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('oversized strings are refused and nothing is written', async () => {
    const title = 'x'.repeat(201);
    const res = await gql(stack.gatewayUrl, 'mutation($t: String!) { createControl(input: { title: $t }) { id } }', { t: title }, owner.token);
    clean(res);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toBe('title must be at most 200 characters');
    expect(await adminQuery('select id from compliance.controls where title = $1', [title])).toEqual([]);
  });

  it('blank and malformed ids', async () => {
    const blank = await gql(stack.gatewayUrl, 'mutation { createControl(input: { title: "   " }) { id } }', {}, owner.token);
    expect(codes(blank)).toEqual(['BAD_USER_INPUT']);
    const owner2 = await gql(stack.gatewayUrl, 'mutation { createControl(input: { title: "ok", ownerId: "not-a-uuid" }) { id } }', {}, owner.token);
    expect(codes(owner2)).toEqual(['BAD_USER_INPUT']);
    const byId = await gql(stack.gatewayUrl, '{ control(id: "../../etc/passwd") { id } }', {}, owner.token);
    expect(codes(byId)).toEqual(['NOT_FOUND']);
  });

  it('page sizes and cursors out of range', async () => {
    const big = await gql(stack.gatewayUrl, '{ controls(first: 101) { edges { cursor } } }', {}, owner.token);
    expect(codes(big)).toEqual(['BAD_USER_INPUT']);
    expect(big.errors![0]!.message).toBe('first must be between 1 and 100');
    // far beyond: the gateway's cost limit refuses it before any subgraph is asked
    const huge = await gql(stack.gatewayUrl, '{ controls(first: 100000) { edges { cursor } } }', {}, owner.token);
    clean(huge);
    expect(codes(huge)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const cursor = await gql(stack.gatewayUrl, '{ controls(first: 5, after: "garbage") { edges { cursor } } }', {}, owner.token);
    expect(codes(cursor)).toEqual(['BAD_USER_INPUT']);
  });

  it('invalid email and short password on sign-up write nothing', async () => {
    const email = await gql(stack.gatewayUrl, SIGN_UP, { i: { organizationName: 'Bad Email Org', name: 'N', email: 'not-an-email', password: PASSWORD } });
    clean(email);
    expect(codes(email)).toEqual(['BAD_USER_INPUT']);
    const address = uniqueEmail('short');
    const short = await gql(stack.gatewayUrl, SIGN_UP, { i: { organizationName: 'Short Pw Org', name: 'N', email: address, password: 'short' } });
    clean(short);
    expect(codes(short)).toEqual(['BAD_USER_INPUT']);
    expect(short.errors![0]!.message).toBe('password must be at least 12 characters');
    const long = await gql(stack.gatewayUrl, SIGN_UP, { i: { organizationName: 'Long Pw Org', name: 'N', email: address, password: 'p'.repeat(129) } });
    expect(codes(long)).toEqual(['BAD_USER_INPUT']);
    expect(await adminQuery('select id from identity.users where email = $1', [address])).toEqual([]);
    expect(await adminQuery(`select id from identity.organizations where name in ('Bad Email Org', 'Short Pw Org', 'Long Pw Org')`)).toEqual([]);
  });

  it('query limits: aliases, tokens, body size', async () => {
    const tokens = await gql(stack.gatewayUrl, `{ viewer { user { ${'id '.repeat(2100)} } } }`, {}, owner.token);
    clean(tokens);
    expect(codes(tokens)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(tokens.errors![0]!.message).toContain('tokens');
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: viewer { user { id } }`).join(' ');
    const res = await gql(stack.gatewayUrl, `{ ${aliases} }`, {}, owner.token);
    clean(res);
    expect(codes(res)[0]).toBe('GRAPHQL_VALIDATION_FAILED');
    const huge = await raw(JSON.stringify({ query: `{ viewer { user { id } } } #${'x'.repeat(1_100_000)}` }));
    expect(huge.status).toBe(413);
    expect(huge.json.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('a malformed bearer token or a forged session token is UNAUTHENTICATED', async () => {
    const res = await gql(stack.gatewayUrl, '{ viewer { user { id } } }', {}, 'pks_forged-token');
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.status).toBe(401);
    const basic = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic abc' }, body: '{"query":"{ viewer { user { id } } }"}',
    });
    expect(((await basic.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });
});
