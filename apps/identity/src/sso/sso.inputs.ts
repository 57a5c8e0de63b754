import { Field, ID, InputType, registerEnumType } from 'type-graphql';

export enum SsoPreset {
  GOOGLE = 'GOOGLE',
  MICROSOFT = 'MICROSOFT',
}
registerEnumType(SsoPreset, { name: 'SsoPreset', description: 'Well-known issuers: Google, or Microsoft Entra ID (v2.0 endpoint)' });

@InputType({ description: 'Replaces the whole connection. Give either preset or issuer.' })
export class SsoConnectionInput {
  @Field(() => SsoPreset, { nullable: true }) preset?: SsoPreset | null;
  @Field(() => String, { nullable: true, description: 'Any OpenID Connect issuer URL (https)' }) issuer?: string | null;
  @Field(() => String, { nullable: true, description: 'MICROSOFT only: tenant id or domain; default "organizations"' })
  microsoftTenant?: string | null;
  @Field(() => String) clientId!: string;
  @Field(() => String, { nullable: true, description: 'Required the first time and whenever issuer or clientId change; omitted = keep the stored one' })
  clientSecret?: string | null;
  @Field(() => [String], { description: 'Email domains allowed to sign in, e.g. ["example.com"]' }) allowedDomains!: string[];
  @Field(() => Boolean, { nullable: true, description: 'Just-in-time membership; default false (only existing members may sign in)' })
  jitEnabled?: boolean | null;
  @Field(() => ID, { nullable: true, description: 'Role for just-in-time members; default the Member system role' })
  defaultRoleId?: string | null;
}
