import { Field, ID, InputType } from 'type-graphql';
import type { EvidenceKind } from './evidence.entity';
import { EvidenceKindEnum } from './evidence.type';

@InputType({ description: 'A link or a text; files are uploaded with POST /evidence/upload on the gateway' })
export class EvidenceInput {
  @Field(() => ID) controlId!: string;
  @Field(() => EvidenceKindEnum) kind!: EvidenceKind;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true, description: 'LINK: an http(s) URL' }) url?: string | null;
  @Field(() => String, { nullable: true, description: 'TEXT: the evidence itself' }) text?: string | null;
  @Field(() => Date, { nullable: true, description: 'When it was collected; default now' }) collectedAt?: Date | null;
  @Field(() => Date, { nullable: true, description: 'After this it no longer counts towards readiness' }) expiresAt?: Date | null;
}
