import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { isOwnerOrAdmin, requireRole, type SubgraphContext } from '@wanxin/platform';
import { Profile, profileInputOf } from '../entities/profile.entity';
import type { User } from '../entities/user.entity';
import { updateProfile } from '../operations/update-profile';
import type { UsersServices } from '../services';
import { ProfileInput, ProfileNode } from './profile.type';
import { UserNode } from './user.type';

type Context = SubgraphContext<UsersServices>;

function profileNode(profile: Profile): ProfileNode {
  const { monthlyIncomeFen, emergencyContacts, ...texts } = profileInputOf(profile);
  return {
    ...texts,
    monthlyIncome: monthlyIncomeFen,
    emergencyContacts: [...emergencyContacts],
    updatedAt: profile.updatedAt,
  };
}

@Resolver(() => UserNode)
export class ProfileResolver {
  @Mutation(() => ProfileNode, {
    description: 'BORROWER or INVESTOR: saves your profile (every field replaced); credit applications need one.',
  })
  async updateProfile(
    @Arg('input', () => ProfileInput, { description: 'Your whole profile.' }) input: ProfileInput,
    @Ctx() context: Context,
  ): Promise<ProfileNode> {
    const viewer = requireRole(context, ['BORROWER', 'INVESTOR']);
    const { monthlyIncome, ...rest } = input;
    return profileNode(await updateProfile(context.em, viewer.id, { ...rest, monthlyIncomeFen: monthlyIncome }));
  }

  // Address, email, income and contacts are nobody else's business: unlike mobile, nothing is shown masked.
  @FieldResolver(() => ProfileNode, {
    nullable: true,
    description: 'The user and admins only (null to anyone else); null until the user saves one (updateProfile).',
  })
  async profile(@Root() user: User, @Ctx() context: Context): Promise<ProfileNode | null> {
    if (!isOwnerOrAdmin(context.viewer, user.id)) return null;
    const profile = await context.loaders.byColumn(Profile, 'userId').load(user.id);
    return profile === null ? null : profileNode(profile);
  }
}
