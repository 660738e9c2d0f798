import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@wanxin/platform';
import type { AutoInvestTerms } from '../domain/auto-invest';
import { AutoInvestRule, NEVER_SERVED } from '../entities/auto-invest-rule.entity';

/**
 * Stores the investor's one rule: replaces the terms of the rule they have (its place in the fair queue
 * stays), or creates it. Two first calls at once meet at the unique investor key: the loser updates the
 * winner's row.
 */
export async function setAutoInvest(
  em: EntityManager,
  investorId: string,
  terms: AutoInvestTerms,
  now: Date,
): Promise<AutoInvestRule> {
  const fields = {
    enabled: terms.enabled,
    amountPerLoanFen: terms.amountPerLoanFen,
    rateMinMicros: terms.rateMinMicros,
    termMaxMonths: terms.termMaxMonths,
    methods: terms.methods === null ? null : terms.methods.join(','),
    reserveFen: terms.reserveFen,
    updatedAt: now,
  };
  const upsert = () =>
    em.fork().transactional(async (tx) => {
      const rule = await tx.findOne(AutoInvestRule, { investorId });
      if (rule !== null) return tx.assign(rule, fields);
      return tx.create(AutoInvestRule, { investorId, ...fields, lastServedAt: NEVER_SERVED, createdAt: now });
    });
  try {
    return await upsert();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
    return upsert();
  }
}
