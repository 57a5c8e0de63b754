import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { AuthPayload, MfaChallenge, SignInResult, Viewer } from './auth.types';
import { CreateOrganizationInput, SignInInput, SignUpInput } from './auth.inputs';
import { createOrganization, signIn, signOut, signUp, viewer } from './auth.service';
import type { IdentityContext } from '../identity.context';

@Resolver()
export class AuthResolver {
  @Query(() => Viewer, { nullable: true, description: 'The signed-in user in their current organisation; null when unauthenticated' })
  viewer(@Ctx() ctx: IdentityContext): Promise<Viewer | null> {
    return viewer(ctx);
  }

  @Mutation(() => AuthPayload, {
    description: 'Public: creates an account, an organisation, and makes the caller its Owner. An email that has an account answers '
      + 'CONFLICT (reason ACCOUNT_EXISTS) whatever the password: sign in, then createOrganization',
  })
  signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: IdentityContext): Promise<AuthPayload> {
    return signUp(ctx, input);
  }

  @Mutation(() => AuthPayload, { description: 'A signed-in user founds another organisation and becomes its Owner; returns a session in it' })
  createOrganization(@Arg('input', () => CreateOrganizationInput) input: CreateOrganizationInput, @Ctx() ctx: IdentityContext): Promise<AuthPayload> {
    return createOrganization(ctx, input);
  }

  @Mutation(() => SignInResult, { description: 'Public: an AuthPayload, or an MfaChallenge when the account has MFA on' })
  signIn(@Arg('input', () => SignInInput) input: SignInInput, @Ctx() ctx: IdentityContext): Promise<AuthPayload | MfaChallenge> {
    return signIn(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Ends the current session' })
  signOut(@Ctx() ctx: IdentityContext): Promise<boolean> {
    return signOut(ctx);
  }
}
