import type { Control } from './control.type';
import { readableControl } from './control.service';
import type { ComplianceContext } from '../compliance.context';

/** Another subgraph named a Control (a draft's control...): the caller's org's, when readable. */
export const controlReference = {
  __resolveReference(ref: { id: string }, ctx: ComplianceContext): Promise<Control | null> {
    return readableControl(ctx, ref.id);
  },
};
