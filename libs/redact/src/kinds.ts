/**
 * The kinds of value redaction finds, most specific first: when two findings overlap,
 * the one earlier in this list keeps the span (a GSTIN holds a PAN, an IBAN holds
 * digits that may pass for a card, a JWT sits inside a URL).
 */
export const KINDS = [
  'PRIVATE_KEY',
  'JWT',
  'PACKETS_TOKEN',
  'AWS_KEY',
  'TOKEN',
  'IBAN',
  'GSTIN',
  'CARD',
  'AADHAAR',
  'SECRET',
  'UPI',
  'EMAIL',
  'IFSC',
  'PAN',
  'PHONE',
] as const;

export type Kind = (typeof KINDS)[number];

export const PRIORITY: Readonly<Record<Kind, number>> = Object.fromEntries(KINDS.map((k, i) => [k, i])) as Record<Kind, number>;

/** A detected value: its span in the input and a normalised key (same value, same placeholder). */
export interface Candidate {
  kind: Kind;
  start: number;
  end: number;
  key: string;
}

export type Emit = (c: Candidate) => void;
