// The SSO input checks that guard redirects and the org's door: issuer URLs,
// allowed domains, and the same-origin returnTo path.
import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { cleanDomain, cleanDomains, cleanIssuer, microsoftIssuer } from './sso.service';
import { cleanReturnTo } from './sso.login';

const code = (fn: () => unknown): unknown => {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof GraphQLError ? err.extensions.code : err;
  }
};

describe('SSO input', () => {
  it('accepts https issuers only, http when the deployment allows it', () => {
    expect(cleanIssuer('https://idp.example.com/', false)).toBe('https://idp.example.com');
    expect(cleanIssuer('https://login.example.com/tenant/v2.0', false)).toBe('https://login.example.com/tenant/v2.0');
    expect(code(() => cleanIssuer('http://127.0.0.1:9000', false))).toBe('BAD_USER_INPUT');
    expect(cleanIssuer('http://127.0.0.1:9000', true)).toBe('http://127.0.0.1:9000');
    for (const bad of ['', 'idp.example.com', 'javascript:alert(1)', 'https://u:p@idp.example.com', 'https://idp.example.com/#x', 'https://idp.example.com/?a=1']) {
      expect(code(() => cleanIssuer(bad, true)), bad).toBe('BAD_USER_INPUT');
    }
    expect(microsoftIssuer('organizations')).toBe('https://login.microsoftonline.com/organizations/v2.0');
  });

  it('normalises domains and refuses empty lists, non-domains and public mail with JIT', () => {
    expect(cleanDomains([' Example.COM', '@example.com', 'b.example.org'], false)).toEqual(['b.example.org', 'example.com']);
    expect(code(() => cleanDomains([], false))).toBe('BAD_USER_INPUT');
    expect(code(() => cleanDomains([''], false))).toBe('BAD_USER_INPUT');
    expect(code(() => cleanDomains(['exa mple.com'], false))).toBe('BAD_USER_INPUT');
    expect(code(() => cleanDomains(['localhost'], false))).toBe('BAD_USER_INPUT');
    expect(cleanDomains(['gmail.com'], false)).toEqual(['gmail.com']);
    expect(code(() => cleanDomains(['gmail.com'], true))).toBe('BAD_USER_INPUT');
  });

  it('normalises one claimed domain and refuses what is not a domain name', () => {
    expect(cleanDomain(' @Example.COM ', 'domain')).toBe('example.com');
    for (const bad of ['', 'localhost', 'exa mple.com', '_packets-verification.example.com', 'example.com.', '10.0.0.1', 'a'.repeat(300)]) {
      expect(code(() => cleanDomain(bad, 'domain')), bad).toBe('BAD_USER_INPUT');
    }
  });

  it('keeps returnTo on our own origin', () => {
    expect(cleanReturnTo(null)).toBeNull();
    expect(cleanReturnTo('')).toBeNull();
    expect(cleanReturnTo('/controls?tab=mine')).toBe('/controls?tab=mine');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'controls', '/a b', '/a#b', '/a\nb', `/${'x'.repeat(500)}`]) {
      expect(cleanReturnTo(bad), bad).toBeUndefined();
    }
  });
});
