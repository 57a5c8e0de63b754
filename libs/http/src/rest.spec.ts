import { describe, expect, it } from 'vitest';
import { GraphQLError } from 'graphql';
import { appError, badInput, ErrorCode, notFound, unauthenticated } from './errors';
import { HttpError, readRestError, restError, restErrorOf } from './rest';

describe('the REST error envelope', () => {
  it('has the shape of a GraphQL error, with the status beside it', () => {
    expect(restError(403, 'FORBIDDEN', 'no')).toEqual({ status: 403, json: { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] } });
  });

  it("answers a thrown error with its code's status, keeping client-facing extensions and dropping http", () => {
    expect(restErrorOf(badInput('fileName is bad', 'fileName'))).toEqual(
      { status: 400, json: { errors: [{ message: 'fileName is bad', extensions: { code: 'BAD_USER_INPUT', field: 'fileName' } }] } });
    expect(restErrorOf(unauthenticated('Link expired', 401)).json.errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(restErrorOf(notFound('Evidence')).status).toBe(404);
    expect(restErrorOf(badInput('too large'), 413).status).toBe(413);
    // the status an error carries for GraphQL answers (identity unavailable: 503) holds for REST too
    const unavailable = restErrorOf(appError(ErrorCode.INTERNAL_SERVER_ERROR, 'Identity service unavailable', { http: { status: 503 } }));
    expect(unavailable).toEqual(restError(503, 'INTERNAL_SERVER_ERROR', 'Identity service unavailable'));
    expect(restErrorOf(new HttpError(413, 'BAD_USER_INPUT', 'Request body larger than 10 bytes'))).toEqual(restError(413, 'BAD_USER_INPUT', 'Request body larger than 10 bytes'));
  });

  it('masks anything unexpected as a 500 and tells the caller about it; a value PostgreSQL refused is a 400 without SQL', () => {
    const seen: unknown[] = [];
    const boom = new Error('relation "secret_table" does not exist');
    expect(restErrorOf(boom, undefined, (e) => seen.push(e))).toEqual(restError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
    const uncoded = new GraphQLError('Unexpected error value: {"sql":"select secret"}');
    expect(restErrorOf(uncoded, undefined, (e) => seen.push(e))).toEqual(restError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
    expect(seen).toEqual([boom, uncoded]);
    const refused = Object.assign(new Error('invalid input syntax for type uuid: "x"'), { code: '22P02' });
    expect(restErrorOf(new GraphQLError('wrapped', { originalError: refused }))).toEqual(restError(400, 'BAD_USER_INPUT', 'An input value is not valid'));
  });

  it('reads back the code and message a service answered, and nothing from a body that is not the envelope', () => {
    expect(readRestError(restError(410, 'BAD_USER_INPUT', 'export already downloaded').json)).toEqual({ code: 'BAD_USER_INPUT', message: 'export already downloaded' });
    for (const other of [null, {}, { error: 'unauthorised' }, { errors: [] }, { errors: [{ message: 1 }] }]) expect(readRestError(other)).toBeNull();
  });
});
