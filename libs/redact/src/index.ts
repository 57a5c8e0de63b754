export { redact, MAX_INPUT_CHARS, type Finding, type RedactOptions, type RedactResult } from './redact';
export { KINDS, type Kind } from './kinds';
export { RedactError, RedactErrorCode } from './errors';
export { gstinCheckChar, isAadhaar, isCardNumber, isGstin, isIban, isPan, isPacketsToken, isJwtHeader, isEmailAddress } from './checks';
