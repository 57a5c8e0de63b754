import { Field, InputType } from 'type-graphql';

@InputType()
export class PolicyInput {
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'Markdown text of the first version (a draft)' }) body!: string;
}
