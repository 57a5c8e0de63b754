// Bad input gets a clear error with extensions.code, never a stack trace, never a
// 500 without a code, and leaves nothing half written.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_HEADER, signRequestContext } from '@packets/context';
import { importPrivateKey } from '@packets/crypto';
import { codes, gql, signUp, uniqueEmail, PASSWORD, type GqlResponse, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, inject, startTestStack } from './harness';

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

  // Ill-formed strings: U+0000 (PostgreSQL cannot store it) and UTF-16 surrogates
  // without their partner. Refused at the gateway with BAD_USER_INPUT, wherever they are.
  const NO_SQL = /select |insert |update |invalid byte|syntax for type|unicode|\bsql\b|postgres/i;

  async function get(params: Record<string, string>) {
    const res = await fetch(`${stack.gatewayUrl}/graphql?${new URLSearchParams(params).toString()}`, {
      headers: { authorization: `Bearer ${owner.token}`, 'apollo-require-preflight': 'true' },
    });
    const text = await res.text();
    return { status: res.status, raw: text, json: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
  }

  it('NUL and unpaired surrogates in variables, at any depth, are BAD_USER_INPUT and nothing is written', async () => {
    const CREATE = 'mutation($i: ControlInput!) { createControl(input: $i) { id } }';
    const ROLE = 'mutation($i: RoleInput!) { createRole(input: $i) { id } }';
    const cases: [string, Record<string, unknown>][] = [
      [CREATE, { i: { title: 'NUL var \u0000 title' } }],
      [CREATE, { i: { title: 'NUL var lone surrogate', description: 'half a pair: \ud83d' } }],
      [CREATE, { i: { title: 'NUL var low surrogate', implementationNotes: '\ude00 first' } }],
      // deep inside a JSON scalar: a list in an object in a list in the input
      [ROLE, { i: { name: 'NUL deep role', rules: [{ action: 'read', subject: 'Control', conditions: { title: { $in: ['ok', 'bad\u0000'] } } }] } }],
      // a key, not a value
      [ROLE, { i: { name: 'NUL key role', rules: [{ action: 'read', subject: 'Control', conditions: { ['ti\u0000tle']: 'x' } }] } }],
    ];
    for (const [query, variables] of cases) {
      const res = await gql(stack.gatewayUrl, query, variables, owner.token);
      clean(res);
      expect(codes(res), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
      expect(res.status).toBe(400);
      expect(res.errors![0]!.message).toMatch(/^variables\.i[.\w[\]$ ()]* contains a NUL character or an unpaired surrogate$/);
      expect(res.raw).not.toMatch(NO_SQL);
    }
    expect(await adminQuery(`select id from compliance.controls where title like 'NUL var%'`)).toEqual([]);
    expect(await adminQuery(`select id from identity.roles where name like 'NUL % role'`)).toEqual([]);
    // a read: the audit log filter reaches SQL the same way
    const read = await gql(stack.gatewayUrl, 'query($a: String) { auditEvents(filter: { action: $a }) { edges { cursor } } }', { a: 'control.\u0000' }, owner.token);
    expect(codes(read)).toEqual(['BAD_USER_INPUT']);
  });

  it('NUL and unpaired surrogates in literals of the document are BAD_USER_INPUT and nothing is written', async () => {
    for (const literal of ['NUL lit \\u0000 title', 'NUL lit \\u{0} braces', 'NUL lit \\uD800 high', 'NUL lit \\uDC00 low', 'NUL lit \\u{D83D} braces']) {
      const res = await gql(stack.gatewayUrl, `mutation { createControl(input: { title: "${literal}" }) { id } }`, {}, owner.token);
      clean(res);
      expect(codes(res), literal).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.message).toBe('a string literal in the query contains a NUL character or an unpaired surrogate');
      expect(res.raw).not.toMatch(NO_SQL);
    }
    // in a variable's default value, and in a block string (no escapes there: the raw character)
    const byDefault = await gql(stack.gatewayUrl, 'mutation($t: String! = "NUL lit default \\u0000") { createControl(input: { title: $t }) { id } }', {}, owner.token);
    expect(codes(byDefault)).toEqual(['BAD_USER_INPUT']);
    const block = await gql(stack.gatewayUrl, 'mutation { createControl(input: { title: """NUL lit block \u0000""" }) { id } }', {}, owner.token);
    expect(codes(block)).toEqual(['BAD_USER_INPUT']);
    // a real pair, escaped, is fine
    const pair = await gql(stack.gatewayUrl, 'mutation { createControl(input: { title: "NUL-free \\uD83D\\uDE00" }) { id } }', {}, owner.token);
    expect(pair.errors).toBeUndefined();
    expect(await adminQuery(`select title from compliance.controls where title like 'NUL%'`)).toEqual([{ title: 'NUL-free \u{1F600}' }]);
  });

  it('a subgraph called directly, with a valid signed context, refuses them too', async () => {
    const claims = {
      actor: { kind: 'user' as const, orgId: owner.orgId, userId: owner.userId, sessionId: null, apiKeyId: null, rules: [['manage', 'all']] },
      meta: { requestId: randomUUID(), ip: null, userAgent: null },
    };
    const token = await signRequestContext(claims, 'compliance', importPrivateKey(inject('secrets').contextPrivateKey));
    const direct = (query: string, variables: Record<string, unknown>) => gql(stack.urls.compliance, query, variables, undefined, { [CONTEXT_HEADER]: token });
    for (const res of [
      await direct('mutation($i: ControlInput!) { createControl(input: $i) { id } }', { i: { title: 'NUL direct \u0000' } }),
      await direct('mutation { createControl(input: { title: "NUL direct \\u0000 literal" }) { id } }', {}),
    ]) {
      clean(res);
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.raw).not.toMatch(NO_SQL);
    }
    expect(await adminQuery(`select id from compliance.controls where title like 'NUL direct%'`)).toEqual([]);
  });

  it('GET requests get the same checks: ill-formed strings and the token limit', async () => {
    const nul = await get({ query: 'query($a: String) { auditEvents(filter: { action: $a }) { edges { cursor } } }', variables: JSON.stringify({ a: 'x\u0000' }) });
    expect(nul.status).toBe(400);
    expect(nul.json.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const literal = await get({ query: '{ auditEvents(filter: { action: "x\\u0000" }) { edges { cursor } } }' });
    expect(literal.json.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const long = `{ viewer { user { ${'id '.repeat(2100)} } } }`;
    const tokens = await get({ query: long });
    expect(tokens.status).toBe(400);
    expect(tokens.json.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(tokens.json.errors![0]!.message).toContain('tokens');
    expect(tokens.json.data).toBeUndefined();
    // the first value is the one Apollo reads: a short decoy after it changes nothing
    const decoy = await fetch(`${stack.gatewayUrl}/graphql?query=${encodeURIComponent(long)}&query=${encodeURIComponent('{ viewer { user { id } } }')}`, {
      headers: { authorization: `Bearer ${owner.token}`, 'apollo-require-preflight': 'true' },
    });
    expect(decoy.status).toBe(400);
    // an ordinary GET still works
    const fine = await get({ query: '{ viewer { user { id } } }' });
    expect(fine.status).toBe(200);
    expect(fine.json.errors).toBeUndefined();
  });

  it('the plain HTTP routes refuse a NUL in the address the same way', async () => {
    for (const path of ['/auth/sso/nul%00slug/start', '/evidence/download?token=x%00y', `/graphql?query=${encodeURIComponent('{ viewer { user { id } } }')}&x=%00`]) {
      const res = await fetch(`${stack.gatewayUrl}${path}`, { headers: { 'apollo-require-preflight': 'true' }, redirect: 'manual' });
      const text = await res.text();
      expect(res.status, path).toBe(400);
      expect((JSON.parse(text) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      expect(text).not.toMatch(NO_SQL);
    }
  });

  it('malformed cursors and filter ids are BAD_USER_INPUT; a malformed id to look up is NOT_FOUND', async () => {
    const cursor = (text: string) => Buffer.from(text).toString('base64url');
    const badCursors = [cursor('2026-01-01T00:00:00.000Z|nope'), cursor('2026-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000|x'), cursor('1|00000000-0000-4000-8000-000000000000')];
    for (const list of ['controls', 'auditEvents', 'auditAlerts', 'auditCheckpoints', 'members']) {
      for (const after of badCursors) {
        const res = await gql(stack.gatewayUrl, `query($c: String) { ${list}(first: 5, after: $c) { edges { cursor } } }`, { c: after }, owner.token);
        clean(res);
        expect(codes(res), `${list} ${after}`).toEqual(['BAD_USER_INPUT']);
        expect(res.raw).not.toMatch(NO_SQL);
      }
    }
    for (const filter of ['controls(filter: { ownerId: "nope" })', 'auditEvents(filter: { actorId: "nope" })']) {
      const res = await gql(stack.gatewayUrl, `{ ${filter} { edges { cursor } } }`, {}, owner.token);
      clean(res);
      expect(codes(res), filter).toEqual(['BAD_USER_INPUT']);
      expect(res.raw).not.toMatch(NO_SQL);
    }
    // every id argument of the compliance and audit subgraphs: a malformed id is a missing record
    const lookups = [
      '{ control(id: "nope") { id } }', '{ evidenceDownloadUrl(id: "nope") { url } }', '{ policyCoverage(policyId: "nope") { total } }',
      'mutation { updateControl(id: "nope", input: { title: "x" }) { id } }', 'mutation { mapControl(controlId: "nope", requirementIds: []) { id } }',
      'mutation { updateProgramme(id: "nope", input: { status: IN_PROGRESS }) { id } }', 'mutation { draftPolicyVersion(policyId: "nope", body: "x") { id } }',
      'mutation { updatePolicyDraft(versionId: "nope", body: "x") { id } }', 'mutation { approvePolicy(versionId: "nope") { id } }',
      'mutation { publishPolicy(id: "nope") { id } }', 'mutation { acknowledgePolicy(versionId: "nope") { id } }',
      'mutation { acknowledgeAuditAlert(id: "nope") { id } }',
    ];
    for (const q of lookups) {
      const res = await gql(stack.gatewayUrl, q, {}, owner.token);
      clean(res);
      expect(codes(res), q).toEqual(['NOT_FOUND']);
    }
    // identity's: never an internal error, never SQL
    for (const q of [
      'mutation { removeMember(userId: "nope") }', 'mutation { assignRoles(userId: "nope", roleIds: ["nope"]) { id } }',
      'mutation { updateRole(id: "nope", input: { name: "x", rules: [] }) { id } }', 'mutation { deleteRole(id: "nope") }',
      'mutation { revokeSession(id: "nope") }', 'mutation { revokeApiKey(id: "nope") }', '{ sessions(userId: "nope") { id } }',
    ]) {
      const res = await gql(stack.gatewayUrl, q, {}, owner.token);
      clean(res);
      expect(['NOT_FOUND', 'BAD_USER_INPUT'], `${q}: ${res.raw}`).toContain(codes(res)[0]);
      expect(res.raw).not.toMatch(NO_SQL);
    }
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
