// The check behind each detector. Library checks where a well-kept one exists
// (validator: Verhoeff, Luhn, card issuers, e-mail syntax; ibantools: IBAN mod 97 and
// country lengths); the rest is ours (GSTIN mod 36, RuPay prefixes, JWT header, token shapes).
import isCreditCard from 'validator/lib/isCreditCard';
import isEmail from 'validator/lib/isEmail';
import isIdentityCard from 'validator/lib/isIdentityCard';
import isLuhnNumber from 'validator/lib/isLuhnNumber';
import { createRequire } from 'node:module';
import type * as IbanTools from 'ibantools' with { 'resolution-mode': 'import' };

// ibantools ships CommonJS but declares only ESM types; redact() is synchronous, so no import()
const { electronicFormatIBAN, getCountrySpecifications, isValidIBAN } = createRequire(__filename)('ibantools') as typeof IbanTools;

/** Aadhaar: 12 digits, first 2-9 (UIDAI never issues 0 or 1), Verhoeff check digit last. */
export function isAadhaar(digits: string): boolean {
  return /^[2-9]\d{11}$/.test(digits) && isIdentityCard(digits, 'IN');
}

// RuPay (NPCI) ranges validator's issuer list does not know: 60, 65, 81, 82, 508, 353, 356.
const RUPAY = /^(?:(?:60|65|8[12])\d{14}|(?:508|35[36])\d{13})$/;

/** A payment card number: 13-19 digits, a known issuer range and the Luhn check. */
export function isCardNumber(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits) || !isLuhnNumber(digits)) return false;
  // validator's Mastercard pattern is unanchored on length: Mastercard is 16 digits
  if (/^(?:5[1-5]|2[2-7])/.test(digits) && digits.length !== 16) return false;
  return isCreditCard(digits) || RUPAY.test(digits);
}

const GSTIN_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The GSTIN check character of its first 14 characters (mod 36, weights 1,2,1,2...). */
export function gstinCheckChar(first14: string): string | null {
  if (!/^[0-9A-Z]{14}$/.test(first14)) return null;
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const p = GSTIN_ALPHABET.indexOf(first14[i]!) * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(p / 36) + (p % 36);
  }
  return GSTIN_ALPHABET[(36 - (sum % 36)) % 36]!;
}

const PAN = /^[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z]$/;

/** PAN: the holder-type 4th character is the only check the format allows (the last letter's algorithm is unpublished). */
export function isPan(s: string): boolean {
  return PAN.test(s);
}

/** GSTIN: state code (01-38, 97 other territory, 99 centre), a PAN, entity number, Z, check character. */
export function isGstin(s: string): boolean {
  if (!/^\d{2}[A-Z0-9]{10}[1-9A-Z]Z[0-9A-Z]$/.test(s)) return false;
  const state = Number(s.slice(0, 2));
  if (!((state >= 1 && state <= 38) || state === 97 || state === 99)) return false;
  if (!isPan(s.slice(2, 12))) return false;
  return gstinCheckChar(s.slice(0, 14)) === s[14];
}

const IBAN_LENGTHS = new Map(
  Object.entries(getCountrySpecifications()).flatMap(([cc, spec]) => (spec.chars && spec.IBANRegistry ? [[cc, spec.chars] as const] : [])),
);

/** The IBAN length of a country in the SWIFT registry, or undefined. */
export function ibanLength(countryCode: string): number | undefined {
  return IBAN_LENGTHS.get(countryCode);
}

/** An IBAN (spaces allowed): the country's length and BBAN format, and the mod-97 check. */
export function isIban(s: string): boolean {
  const e = electronicFormatIBAN(s);
  return !!e && isValidIBAN(e);
}

// File extensions validator accepts as a top-level domain: "icon@2x.png" is an asset, not an address.
const NOT_TLDS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'ico', 'bmp', 'tif', 'tiff', 'pdf', 'js', 'mjs', 'cjs', 'ts', 'css', 'json', 'map', 'txt', 'html', 'htm', 'xml', 'yaml', 'yml', 'lock', 'log', 'tgz', 'zip']);

/** An e-mail address: validator's syntax check with a top-level domain that is not a file extension. */
export function isEmailAddress(s: string): boolean {
  const tld = s.slice(s.lastIndexOf('.') + 1).toLowerCase();
  if (!/^[a-z]{2,63}$/.test(tld) && !/^xn--[a-z0-9-]{1,59}$/.test(tld)) return false;
  if (NOT_TLDS.has(tld)) return false;
  return isEmail(s, { allow_utf8_local_part: false, require_tld: true, allow_ip_domain: false });
}

/** A JWT's first part: base64url of a JSON object with a string "alg". */
export function isJwtHeader(part: string): boolean {
  if (part.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(part)) return false;
  const json = Buffer.from(part, 'base64url').toString('utf8');
  if (!json.startsWith('{')) return false;
  try {
    const header: unknown = JSON.parse(json);
    return typeof header === 'object' && header !== null && !Array.isArray(header) && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/**
 * Packets' own tokens (libs/crypto randomToken): a pk?_ prefix and 32 random bytes in
 * base64url, which is 43 characters whose last one carries 4 bits, so it is one of 16.
 */
export function isPacketsToken(s: string): boolean {
  return /^pk[skijm]_[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/.test(s) && distinctChars(s.slice(4)) >= 12;
}

/** How many different characters a string holds: a random token has many, a placeholder ("xxxx", "0000") few. */
export function distinctChars(s: string): number {
  return new Set(s).size;
}
