import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { isOwnerOrAdmin, maskIdNumber, maskName, requireRole, type SubgraphContext } from '@wanxin/platform';
import { IdentityCheck } from '../entities/identity-check.entity';
import type { User } from '../entities/user.entity';
import { verifyIdentity } from '../operations/verify-identity';
import type { UsersServices } from '../services';
import { IdentityCheckNode, IdentityInput } from './identity.type';
import { UserNode } from './user.type';

type Context = SubgraphContext<UsersServices>;

/** A check as `viewer` sees it: name and ID number masked as User.realName and User.idNumber are. */
function identityCheckNode(check: IdentityCheck, revealed: boolean): IdentityCheckNode {
  const { status, realName, idNumber, reason, createdAt, settledAt } = check;
  return {
    status,
    realName: revealed ? realName : maskName(realName),
    idNumber: revealed ? idNumber : maskIdNumber(idNumber),
    reason,
    createdAt,
    settledAt,
  };
}

@Resolver(() => UserNode)
export class IdentityResolver {
  @Mutation(() => IdentityCheckNode, {
    description:
      'BORROWER or INVESTOR: sends your name, ID number and photographs to the identity provider; the check is PENDING until it answers.',
  })
  async verifyIdentity(
    @Arg('input', () => IdentityInput, { description: 'Who you are, with the photographs.' }) input: IdentityInput,
    @Ctx() context: Context,
  ): Promise<IdentityCheckNode> {
    const viewer = requireRole(context, ['BORROWER', 'INVESTOR']);
    return identityCheckNode(await verifyIdentity(context.em, context.services.identity, viewer.id, input), true);
  }

  @FieldResolver(() => IdentityCheckNode, {
    nullable: true,
    description: "The user's latest identity check, null before the first; name and ID number masked as on User.",
  })
  async identity(@Root() user: User, @Ctx() context: Context): Promise<IdentityCheckNode | null> {
    const check = await context.em.findOne(IdentityCheck, { userId: user.id }, { orderBy: { createdAt: 'desc' } });
    return check === null ? null : identityCheckNode(check, isOwnerOrAdmin(context.viewer, user.id));
  }
}
