// The client's operation as the subgraphs' access events describe it: signed into
// the request context by SignedDataSource before the first subgraph call.
import { createHash } from 'node:crypto';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { OperationMeta } from '@packets/context';

const MAX_FIELDS = 50;

function topLevelFields(selectionSet: SelectionSetNode | undefined, document: DocumentNode | undefined, out = new Set<string>()): Set<string> {
  for (const s of selectionSet?.selections ?? []) {
    if (out.size >= MAX_FIELDS) break;
    if (s.kind === Kind.FIELD) out.add(s.name.value);
    else if (s.kind === Kind.INLINE_FRAGMENT) topLevelFields(s.selectionSet, document, out);
    else {
      const fragment = document?.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) topLevelFields(fragment.selectionSet, document, out);
    }
  }
  return out;
}

/** What the subgraphs' access events say about the client's operation (signed into the request context). */
export function describeOperation(rc: {
  request: { query?: string; operationName?: string | null };
  source?: string;
  operation?: OperationDefinitionNode;
  operationName?: string | null;
  document?: DocumentNode;
}): OperationMeta | undefined {
  const type = rc.operation?.operation;
  if (!type) return undefined;
  const source = rc.request.query ?? rc.source ?? '';
  return {
    name: rc.operationName ?? rc.request.operationName ?? null,
    type,
    documentSha256: createHash('sha256').update(source).digest('hex'),
    fields: [...topLevelFields(rc.operation?.selectionSet, rc.document)],
  };
}

