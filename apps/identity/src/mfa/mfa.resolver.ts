import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { CompleteMfaInput, RecoveryCodes, TotpEnrollment } from './mfa.type';
import { completeMfaSignIn, confirmTotp, enrollTotp } from './mfa.service';
import { AuthPayload } from '../auth/auth.types';
import type { IdentityContext } from '../identity.context';

@Resolver()
export class MfaResolver {
  @Mutation(() => TotpEnrollment, { description: 'Starts TOTP enrolment for the signed-in member' })
  enrollTotp(@Ctx() ctx: IdentityContext): Promise<TotpEnrollment> {
    return enrollTotp(ctx);
  }

  @Mutation(() => RecoveryCodes, { description: 'Turns MFA on with a first code; returns ten recovery codes' })
  confirmTotp(@Arg('code', () => String) code: string, @Ctx() ctx: IdentityContext): Promise<RecoveryCodes> {
    return confirmTotp(ctx, code);
  }

  @Mutation(() => AuthPayload, { description: 'Public: the second step of a sign-in that returned an MfaChallenge' })
  completeMfaSignIn(@Arg('input', () => CompleteMfaInput) input: CompleteMfaInput, @Ctx() ctx: IdentityContext): Promise<AuthPayload> {
    return completeMfaSignIn(ctx, input);
  }
}
