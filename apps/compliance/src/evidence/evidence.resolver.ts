import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { UserRef } from '@packets/graphql';
import { Evidence, EvidenceDownload } from './evidence.type';
import { EvidenceInput } from './evidence.inputs';
import { addEvidence, evidenceDownloadUrl } from './evidence.service';
import { Control } from '../control/control.type';
import { readableControl } from '../control/control.service';
import type { ComplianceContext } from '../compliance.context';

@Resolver(() => Evidence)
export class EvidenceResolver {
  @Mutation(() => Evidence, { description: 'Adds a link or a text to a control (files: POST /evidence/upload on the gateway)' })
  addEvidence(@Arg('input', () => EvidenceInput) input: EvidenceInput, @Ctx() ctx: ComplianceContext): Promise<Evidence> {
    return addEvidence(ctx, input);
  }

  @Query(() => EvidenceDownload, { description: 'A short-lived link that downloads one evidence file' })
  evidenceDownloadUrl(@Arg('id', () => ID) id: string, @Ctx() ctx: ComplianceContext): Promise<EvidenceDownload> {
    return evidenceDownloadUrl(ctx, id);
  }

  @FieldResolver(() => Control, { nullable: true })
  control(@Root() evidence: Evidence, @Ctx() ctx: ComplianceContext): Promise<Control | null> {
    return readableControl(ctx, evidence.controlId);
  }

  @FieldResolver(() => UserRef, { nullable: true })
  createdBy(@Root() evidence: Evidence): UserRef | null {
    return evidence.createdBy ? { id: evidence.createdBy } : null;
  }
}
