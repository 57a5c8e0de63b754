// TOTP (RFC 6238) through otplib: 6 digits, SHA-1, 30-second steps, one step of
// clock drift either way. Returns the step a code matched so a code can be used once.
import { authenticator } from 'otplib';

export const TOTP_STEP_SECONDS = 30;
const ISSUER = 'Packets';

export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

export function otpauthUrl(secret: string, account: string, orgName: string): string {
  return authenticator.keyuri(account, `${ISSUER} (${orgName})`, secret);
}

/** The step the code belongs to, or null when it does not match now ±1 step. */
export function matchTotp(secret: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const checker = authenticator.clone({ epoch: now.getTime(), window: 1 });
  const delta = checker.checkDelta(code, secret);
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / TOTP_STEP_SECONDS) + delta;
}

export function totpNow(secret: string, now: Date): string {
  return authenticator.clone({ epoch: now.getTime() }).generate(secret);
}
