import { describe, expect, it } from 'vitest';
import { illFormedRequest, isWellFormed, text } from './validate';

describe('well-formed strings', () => {
  it('tells NUL and unpaired surrogates from real text', () => {
    for (const ok of ['plain', 'emoji 😀', 'tab\tand\nnewline', '']) expect(isWellFormed(ok), ok).toBe(true);
    for (const bad of ['a\u0000b', 'x\ud800', '\udc00y', 'rev\ude00\ud83d']) expect(isWellFormed(bad), JSON.stringify(bad)).toBe(false);
    expect(() => text('a\u0000b', 'title', { max: 10 })).toThrow('title contains a NUL character or an unpaired surrogate');
  });

  it('finds them anywhere in a request: nested variables, lists, keys, the document', () => {
    const q = 'mutation($i: X) { m(input: $i) }';
    expect(illFormedRequest({ query: q, variables: { i: { a: [{ b: 'ok' }, { b: 'no\u0000' }] } } })).toBe('variables.i.a[1].b contains a NUL character or an unpaired surrogate');
    expect(illFormedRequest({ query: q, variables: { i: { ['k\ud800']: 1 } } })).toMatch(/variables\.i \(a key\)/);
    expect(illFormedRequest({ query: '{ m(x: "a\\u0000b") }' })).toMatch(/string literal/);
    expect(illFormedRequest({ query: '{ m(x: ["ok", { y: "\\u{0}" }]) }' })).toMatch(/string literal/);
    expect(illFormedRequest({ query: 'query($v: String = "\\u0000") { m(x: $v) }' })).toMatch(/string literal/);
    expect(illFormedRequest({ query: '{ m(x: "\\uD800") }' })).toMatch(/string literal/);
    expect(illFormedRequest({ query: '{ m(x: "\\u{DC00}") }' })).toMatch(/string literal/);
    expect(illFormedRequest({ query: '{ m(x: """raw \u0000""") }' })).toMatch(/^query contains/);
    expect(illFormedRequest({ query: '{ m(x: "\\uD83D\\uDE00 \\u0041") }', variables: { a: ['😀'] } })).toBeNull();
    expect(illFormedRequest({ query: '{ m(x: "\\uZZZZ") }' })).toBeNull(); // a plain syntax error, for the parser
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(illFormedRequest({ query: q, variables: { deep } })).toMatch(/contains a NUL/);
  });
});
