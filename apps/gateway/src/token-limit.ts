// Token limit on incoming documents, counted with graphql-armor's lexer before
// Apollo sees the request. (Armor's Apollo plugin throws from parsingDidStart, which
// Apollo answers with a 500, even for plain syntax errors.) Syntax errors are left
// to Apollo's parser: GRAPHQL_PARSE_FAILED, 400. GET requests are counted too: the
// HTTP front hands `inspect` their query parameters as a body (the first `query`, as
// Apollo reads it).
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import type { Refusal } from '@packets/http';

export function tokenLimit(n: number): (body: unknown) => Refusal | null {
  return (body) => {
    const query = typeof body === 'object' && body !== null ? (body as { query?: unknown }).query : undefined;
    // every token is at least one character: short documents cannot exceed the limit
    if (typeof query !== 'string' || query.length <= n) return null;
    let exceeded = false;
    try {
      new MaxTokensParserWLexer(query, { n, onReject: [() => { exceeded = true; }] }).parseDocument();
    } catch {
      // a syntax error, or the limit: told apart by the flag
    }
    return exceeded ? { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', message: `Query has more than ${n} tokens` } : null;
  };
}
