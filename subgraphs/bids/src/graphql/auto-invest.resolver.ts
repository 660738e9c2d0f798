import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireRole, type SubgraphContext } from '@wanxin/platform';
import { AutoInvestProblem, parseAutoInvest } from '../domain/auto-invest';
import { AutoInvestErrors } from '../domain/errors';
import { setAutoInvest } from '../operations/set-auto-invest';
import type { BidsServices } from '../services';
import { AutoInvestInput } from './auto-invest.input';
import { AutoInvestRuleNode, toAutoInvestRuleNode } from './auto-invest-rule.type';

@Resolver()
export class AutoInvestResolver {
  @Mutation(() => AutoInvestRuleNode, {
    description:
      'INVESTOR: sets their auto-invest rule (one per investor, replaced by each call). Loans opening from now on get an auto bid when they match.',
  })
  async setAutoInvest(
    @Arg('input', () => AutoInvestInput, {
      description: 'The rule: amount per loan, the loans it bids on, the reserve.',
    })
    input: AutoInvestInput,
    @Ctx() context: SubgraphContext<BidsServices>,
  ): Promise<AutoInvestRuleNode> {
    const investor = requireRole(context, ['INVESTOR']);
    const terms = parseAutoInvest(input.toRequest(), context.services.settings.minBidFen);
    if (terms instanceof AutoInvestProblem) throw AutoInvestErrors.badRule(terms);
    return toAutoInvestRuleNode(await setAutoInvest(context.em, investor.id, terms, new Date()));
  }
}
