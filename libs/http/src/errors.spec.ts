import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { formatError } from './errors';

describe('formatError', () => {
  const sqlError = (code: string) => Object.assign(new Error('insert into "compliance"."controls" ... invalid byte sequence for encoding "UTF8": 0x00'), { code });

  it('answers a value PostgreSQL refused as BAD_USER_INPUT, without the SQL, in development too', () => {
    for (const code of ['22P02', '22021', '22P05']) {
      const err = new GraphQLError('insert into ... 0x00', { originalError: sqlError(code), path: ['createControl'] });
      for (const dev of [false, true]) {
        const out = formatError(dev)({ message: err.message, path: ['createControl'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, err);
        expect(out).toEqual({ message: 'An input value is not valid', path: ['createControl'], locations: undefined, extensions: { code: 'BAD_USER_INPUT' } });
      }
    }
  });

  it('hides any other internal message outside development', () => {
    const err = new GraphQLError('select * from secrets', { originalError: sqlError('42P01') });
    const out = formatError(false)({ message: err.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, err);
    expect(out.message).toBe('Internal server error');
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(formatError(false)({ message: 'no code at all' }).message).toBe('Internal server error');
    expect(formatError(false)({ message: 'title is required', extensions: { code: 'BAD_USER_INPUT' } }).message).toBe('title is required');
  });
});
