// Every error a client can see carries one of these codes in `extensions.code`.
// Who throws each:
//   UNAUTHENTICATED  subgraph context check (bad/missing signed context), identity (bad credentials, dead session)
//   FORBIDDEN        libs/authz when the ability denies an action inside the caller's own org
//   BAD_USER_INPUT   input validation in services and libs/graphql/validate
//   NOT_FOUND        services, for missing records and for records of another org (same answer on purpose)
//   RATE_LIMITED     gateway and identity rate limiters
//   CONFLICT         services, for uniqueness and state conflicts
//   INTERNAL_SERVER_ERROR  formatError, for anything unexpected (message hidden outside development)
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Errors from resolvers keep HTTP 200 (a subgraph answering 401 would make the
 * gateway replace the message); pass `http: { status }` in extensions for errors
 * raised before execution (context checks), where the status is the answer.
 */
export function appError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const notFound = (what = 'Record'): GraphQLError => appError(ErrorCode.NOT_FOUND, `${what} not found`);
export const forbidden = (): GraphQLError => appError(ErrorCode.FORBIDDEN, 'You are not allowed to do this');
export const unauthenticated = (message = 'Authentication required', httpStatus?: number): GraphQLError =>
  appError(ErrorCode.UNAUTHENTICATED, message, httpStatus ? { http: { status: httpStatus } } : {});
export const badInput = (message: string, field?: string): GraphQLError =>
  appError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});

// Codes whose messages are written for clients. INTERNAL_SERVER_ERROR is not one:
// its message may carry SQL or internals, so it is replaced outside development.
const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  // codes that Apollo Server itself assigns to malformed requests
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE',
]);

// SQLSTATEs that mean "the value sent cannot be stored as that type": invalid text
// representation (a malformed uuid, bad json), a character not in UTF-8 (U+0000),
// untranslatable character (\u0000 in jsonb). Input checks refuse these first; a
// value that slips past still answers BAD_USER_INPUT, with no SQL in the message.
const BAD_VALUE_SQLSTATES = new Set(['22P02', '22021', '22P05']);

/** Whether PostgreSQL refused a value sent to it (see BAD_VALUE_SQLSTATES), looking through wrapped errors. */
export function databaseRefusedValue(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && BAD_VALUE_SQLSTATES.has(code)) return true;
    e = (e as { originalError?: unknown }).originalError;
  }
  return false;
}

/** Where a masked error goes: the cause (the error a resolver threw) and the field it failed. */
export type UnexpectedErrorReport = (cause: unknown, path: GraphQLFormattedError['path']) => void;

/** The process's error log, with the cause's stack: the answer only says "Internal server error". */
export const logUnexpectedError: UnexpectedErrorReport = (cause, path) => {
  const detail = cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause);
  console.error(`graphql: unexpected error${path ? ` at ${path.join('.')}` : ''}: ${detail}`);
};

/** The error a resolver threw, under the GraphQLError graphql-js wraps it in. */
function causeOf(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? error.originalError : error;
}

/**
 * Apollo `formatError`: never leak a stack trace or an internal message outside
 * development; every error leaves with a code. What it masks is reported (the log).
 */
export function formatError(dev: boolean, report: UnexpectedErrorReport = logUnexpectedError) {
  return (formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError => {
    if (databaseRefusedValue(error)) {
      return {
        message: 'An input value is not valid', locations: formatted.locations, path: formatted.path,
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      };
    }
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
    const known = code !== undefined && KNOWN_CODES.has(code);
    const extensions: Record<string, unknown> = { ...formatted.extensions };
    delete extensions.stacktrace;
    delete extensions.exception;
    if (!known) {
      report(causeOf(error ?? formatted), formatted.path);
      extensions.code = ErrorCode.INTERNAL_SERVER_ERROR;
      return {
        message: dev ? formatted.message : 'Internal server error',
        locations: formatted.locations, path: formatted.path, extensions,
      };
    }
    return { ...formatted, extensions };
  };
}
