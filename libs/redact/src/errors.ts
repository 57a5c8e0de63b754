/** Error codes of @packets/redact, and who throws each. */
export const RedactErrorCode = {
  /** redact(): the input is longer than opts.maxChars (default MAX_INPUT_CHARS) */
  INPUT_TOO_LARGE: 'REDACT_INPUT_TOO_LARGE',
  /** redact(): the input is not a string, or an option is malformed */
  BAD_INPUT: 'REDACT_BAD_INPUT',
} as const;

export type RedactErrorCode = (typeof RedactErrorCode)[keyof typeof RedactErrorCode];

export class RedactError extends Error {
  override name = 'RedactError';
  constructor(readonly code: RedactErrorCode, message: string) {
    super(message);
  }
}
