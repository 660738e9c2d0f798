import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { CommonErrors, isId, MoneyScalar, requireRole, type SubgraphContext } from '@wanxin/platform';
import type { Installment } from '../entities/installment.entity';
import type { PenaltyWaiver } from '../entities/penalty-waiver.entity';
import { waivePenalty } from '../operations/waive-penalty';
import type { RepaymentsServices } from '../services';
import { InstallmentNode } from './installment.type';
import { PenaltyWaiverNode } from './penalty-waiver.type';

/** A reason is kept with the waiver: 1 to this many characters. */
const WAIVER_REASON_LENGTH_MAX = 500;

type Context = SubgraphContext<RepaymentsServices>;

@Resolver(() => PenaltyWaiverNode)
export class PenaltyWaiverResolver {
  @Mutation(() => InstallmentNode, {
    description:
      "ADMIN: lowers an unpaid installment's penalty by `amount` (never below 0), recorded with who, when and why; " +
      'the investors share what is left. CONFLICT while a daily run or a collection of the loan is in progress.',
  })
  async waivePenalty(
    @Arg('installmentId', () => ID, { description: 'An unpaid installment with a penalty.' }) installmentId: string,
    @Arg('amount', () => MoneyScalar, { description: 'What to take off the penalty: 0.01 up to all of it.' })
    amountFen: bigint,
    @Arg('reason', () => String, { description: `Why: 1 to ${WAIVER_REASON_LENGTH_MAX} characters.` }) reason: string,
    @Ctx() context: Context,
  ): Promise<Installment> {
    const admin = requireRole(context, ['ADMIN']);
    if (!isId(installmentId)) throw CommonErrors.notFound('Installment', installmentId);
    const trimmed = reason.trim();
    if (trimmed.length === 0 || trimmed.length > WAIVER_REASON_LENGTH_MAX)
      throw CommonErrors.badInput('reason', `a waiver needs a reason of 1 to ${WAIVER_REASON_LENGTH_MAX} characters`);
    return waivePenalty(context.em, { installmentId, amountFen, reason: trimmed, adminId: admin.id }, new Date());
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The admin who waived it: admins see it, others null.' })
  waivedBy(@Root() waiver: PenaltyWaiver, @Ctx() context: Context): string | null {
    return context.viewer?.role === 'ADMIN' ? waiver.waivedBy : null;
  }
}
