// Two organisations through the gateway: each sees only its own controls, by
// list and by id, and cannot reach into the other's members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, gql, signUp, type SignedUp } from '@packets/testing';
import type { Stack } from '@packets/tool-dev';
import { adminQuery, startTestStack } from './harness';

const CREATE = `mutation($input: ControlInput!) { createControl(input: $input) { id title owner { id email } } }`;
const LIST = `query($first: Int, $after: String) { controls(first: $first, after: $after) {
  edges { cursor node { id title owner { email } } } pageInfo { hasNextPage endCursor } } }`;

describe('tenant isolation through the gateway', () => {
  let stack: Stack;
  let a: SignedUp;
  let b: SignedUp;
  const aControls: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    [a, b] = await Promise.all([signUp(stack.gatewayUrl, 'Org A'), signUp(stack.gatewayUrl, 'Org B')]);
    for (const title of ['Access reviews', 'Encryption at rest', 'Incident response']) {
      const res = await gql<{ createControl: { id: string; owner: { email: string } } }>(
        stack.gatewayUrl, CREATE, { input: { title, ownerId: a.userId, status: 'IN_PROGRESS' } }, a.token,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.createControl.owner.email).toBe(a.email);
      aControls.push(res.data!.createControl.id);
    }
  });
  afterAll(() => stack?.stop());

  it("lists an org's controls with their owners resolved from identity", async () => {
    const res = await gql<{ controls: { edges: { node: { title: string; owner: { email: string } } }[] } }>(
      stack.gatewayUrl, LIST, { first: 10 }, a.token,
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.controls.edges.map((e) => e.node);
    expect(nodes.map((n) => n.title).sort()).toEqual(['Access reviews', 'Encryption at rest', 'Incident response']);
    expect(nodes.every((n) => n.owner.email === a.email)).toBe(true);
  });

  it('pages with cursors', async () => {
    const first = await gql<{ controls: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      stack.gatewayUrl, LIST, { first: 2 }, a.token,
    );
    expect(first.data!.controls.edges).toHaveLength(2);
    expect(first.data!.controls.pageInfo.hasNextPage).toBe(true);
    const second = await gql<{ controls: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } } }>(
      stack.gatewayUrl, LIST, { first: 2, after: first.data!.controls.pageInfo.endCursor }, a.token,
    );
    expect(second.data!.controls.edges).toHaveLength(1);
    expect(second.data!.controls.pageInfo.hasNextPage).toBe(false);
    const all = [...first.data!.controls.edges, ...second.data!.controls.edges].map((e) => e.node.id);
    expect(new Set(all)).toEqual(new Set(aControls));
  });

  it("org B sees none of org A's controls by list", async () => {
    const res = await gql<{ controls: { edges: unknown[] } }>(stack.gatewayUrl, LIST, { first: 50 }, b.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.controls.edges).toEqual([]);
  });

  it("org B gets NOT_FOUND for org A's control by id, exactly as for a missing id", async () => {
    const q = `query($id: ID!) { control(id: $id) { id title } }`;
    const foreign = await gql(stack.gatewayUrl, q, { id: aControls[0] }, b.token);
    const missing = await gql(stack.gatewayUrl, q, { id: '00000000-0000-4000-8000-000000000000' }, b.token);
    expect(codes(foreign)).toEqual(['NOT_FOUND']);
    expect(foreign.data?.control ?? null).toBeNull();
    expect(foreign.errors![0]!.message).toBe(missing.errors![0]!.message);
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    // the owner still sees it
    const own = await gql<{ control: { title: string } }>(stack.gatewayUrl, q, { id: aControls[0] }, a.token);
    expect(own.data!.control.title).toBe('Access reviews');
  });

  it("org B cannot update org A's control", async () => {
    const res = await gql(stack.gatewayUrl, `mutation($id: ID!) { updateControl(id: $id, input: { title: "pwned" }) { id } }`,
      { id: aControls[0] }, b.token);
    expect(codes(res)).toEqual(['NOT_FOUND']);
    const own = await gql<{ control: { title: string } }>(stack.gatewayUrl, `query($id: ID!) { control(id: $id) { title } }`,
      { id: aControls[0] }, a.token);
    expect(own.data!.control.title).toBe('Access reviews');
  });

  it("org B cannot create a control owned by org A's user, and nothing is written", async () => {
    const res = await gql(stack.gatewayUrl, CREATE, { input: { title: 'Sneaky', ownerId: a.userId } }, b.token);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toContain('not a member');
    const list = await gql<{ controls: { edges: unknown[] } }>(stack.gatewayUrl, LIST, { first: 50 }, b.token);
    expect(list.data!.controls.edges).toEqual([]);
  });

  it("a federated reference to another org's user resolves to nothing", async () => {
    // B's control names B's owner: the reference resolves (the positive case)
    const created = await gql<{ createControl: { id: string; owner: { email: string } } }>(
      stack.gatewayUrl, CREATE, { input: { title: 'B control', ownerId: b.userId } }, b.token,
    );
    expect(created.data!.createControl.owner.email).toBe(b.email);
    const id = created.data!.createControl.id;
    // the stored owner becomes A's user (the API refuses that; a stale or tampered row
    // gets there): the gateway then asks identity for a User of org A on B's behalf
    await adminQuery('update compliance.controls set owner_id = $1 where id = $2', [a.userId, id]);
    const q = `query($id: ID!) { control(id: $id) { id title owner { id email name } } }`;
    const res = await gql<{ control: { id: string; owner: unknown } }>(stack.gatewayUrl, q, { id }, b.token);
    expect(res.data!.control.id).toBe(id);
    expect(res.data!.control.owner).toBeNull();
    expect(res.raw).not.toContain(a.email);
    expect(res.raw).not.toContain('Test Owner');
    // and by list
    const list = await gql<{ controls: { edges: { node: { id: string; owner: unknown } }[] } }>(stack.gatewayUrl, LIST, { first: 50 }, b.token);
    expect(list.data!.controls.edges.find((e) => e.node.id === id)?.node.owner).toBeNull();
    expect(list.raw).not.toContain(a.email);
  });

  it('anonymous callers get UNAUTHENTICATED for tenant data', async () => {
    const res = await gql(stack.gatewayUrl, LIST, { first: 5 });
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data?.controls ?? null).toBeNull();
  });
});
