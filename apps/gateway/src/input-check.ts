// Strings that PostgreSQL cannot store (U+0000) or that are not text at all (a UTF-16
// surrogate without its partner) are refused at the edge, before Apollo runs the
// request: in any variable, however deeply nested, in any other field of the request
// (GET parameters too), and in the string literals of the document. BAD_USER_INPUT,
// HTTP 400, like the token limit. Subgraphs check again (the same check in front of
// their Apollo, validate.text, and formatError for a database refusal that slips past).
import { validate, type Refusal } from '@packets/http';

export function inputCheck(body: unknown): Refusal | null {
  return validate.refuseIllFormed(body);
}
