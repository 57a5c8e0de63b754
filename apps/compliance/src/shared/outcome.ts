// The result of the pure engines' checks (incident, training, risk, access review):
// a value, or a refusal the service turns into BAD_USER_INPUT naming the field.

/** A refusal the service turns into BAD_USER_INPUT naming `field`. */
export interface Refusal {
  ok: false;
  field: string;
  reason: string;
}
export type Outcome<T> = { ok: true; value: T } | Refusal;

export const refuse = (field: string, reason: string): Refusal => ({ ok: false, field, reason });
