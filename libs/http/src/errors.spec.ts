import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
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

  it('reports the error it masks, with its cause, to the service log (the answer says nothing, so the log must)', () => {
    const cause = sqlError('53300');
    const err = new GraphQLError('sorry, too many clients already', { originalError: cause, path: ['mapControl'] });
    const reported: unknown[][] = [];
    const out = formatError(false, (...args) => { reported.push(args); })(
      { message: err.message, path: ['mapControl'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, err);
    expect(out.message).toBe('Internal server error');
    expect(reported).toEqual([[cause, ['mapControl']]]);
    // the default report is the process's error log
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      formatError(false)({ message: err.message, path: ['mapControl'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, err);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(String(logged.mock.calls[0]![0])).toContain('mapControl');
      expect(String(logged.mock.calls[0]![0])).toContain(cause.stack!.split('\n')[0]);
    } finally {
      logged.mockRestore();
    }
    // what it does not mask (a refusal with a known code) is not reported
    const quiet: unknown[] = [];
    formatError(false, (e) => { quiet.push(e); })({ message: 'title is required', extensions: { code: 'BAD_USER_INPUT' } });
    expect(quiet).toEqual([]);
  });
});
