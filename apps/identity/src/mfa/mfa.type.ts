import { Field, InputType, ObjectType } from 'type-graphql';

@ObjectType()
export class TotpEnrollment {
  @Field(() => String, { description: 'Base32 secret, for typing into an authenticator app' }) secret!: string;
  @Field(() => String, { description: 'otpauth:// URL, for a QR code' }) otpauthUrl!: string;
}

@ObjectType()
export class RecoveryCodes {
  @Field(() => [String], { description: 'Ten single-use codes, shown this once' }) codes!: string[];
}

@InputType()
export class CompleteMfaInput {
  @Field(() => String) challengeToken!: string;
  @Field(() => String, { nullable: true }) code?: string | null;
  @Field(() => String, { nullable: true }) recoveryCode?: string | null;
}
