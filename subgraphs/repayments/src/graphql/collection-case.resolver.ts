import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  CommonErrors,
  DateScalar,
  findPageInOrder,
  isId,
  PageArgs,
  requireRole,
  type Connection,
  type SubgraphContext,
} from '@wanxin/platform';
import { COLLECTION_NOTES_PER_CASE_MAX, type CollectionCaseStatus } from '../domain/collection-case';
import { CollectionCase } from '../entities/collection-case.entity';
import { CollectionNote } from '../entities/collection-note.entity';
import { Installment } from '../entities/installment.entity';
import { addCollectionNote } from '../operations/collection-notes';
import type { RepaymentsServices } from '../services';
import {
  CollectionCaseConnection,
  CollectionCaseNode,
  CollectionCaseStatusEnum,
  CollectionNoteNode,
} from './collection-case.type';
import { LoanReference } from './external/loan';
import { UserReference } from './external/user';
import { InstallmentConnection } from './installment-connection.type';

type Context = SubgraphContext<RepaymentsServices>;

/** overdueInstallments' minDays: 1 (every overdue installment) up to this. */
const MIN_DAYS_MAX = 10_000;

/** The staff's collection workbench: ADMIN only. */
@Resolver(() => CollectionCaseNode)
export class CollectionCaseResolver {
  @Query(() => CollectionCaseConnection, { description: 'ADMIN: collection cases, the oldest overdue first.' })
  async collectionCases(
    @Arg('status', () => CollectionCaseStatusEnum, { nullable: true, description: 'Only cases in this status.' })
    status: CollectionCaseStatus | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: Context,
  ): Promise<Connection<CollectionCase>> {
    requireRole(context, ['ADMIN']);
    const where = status === null || status === undefined ? {} : { status };
    return findPageInOrder(context.em, CollectionCase, where, page, { field: 'overdueSince', direction: 'asc' });
  }

  @Query(() => CollectionCaseNode, { nullable: true, description: 'ADMIN: one collection case, or null.' })
  async collectionCase(
    @Arg('id', () => ID, { description: "The case's id." }) id: string,
    @Ctx() context: Context,
  ): Promise<CollectionCase | null> {
    requireRole(context, ['ADMIN']);
    return isId(id) ? context.em.findOne(CollectionCase, { id }) : null;
  }

  @Query(() => InstallmentConnection, {
    description: 'ADMIN: OVERDUE installments at least `minDays` (default 1) past due, the oldest first.',
  })
  async overdueInstallments(
    @Arg('minDays', () => Int, { nullable: true, description: 'At least this many days overdue (1–10,000).' })
    minDays: number | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() context: Context,
  ): Promise<Connection<Installment>> {
    requireRole(context, ['ADMIN']);
    const days = minDays ?? 1;
    if (!Number.isSafeInteger(days) || days < 1 || days > MIN_DAYS_MAX)
      throw CommonErrors.badInput('minDays', `must be from 1 to ${MIN_DAYS_MAX}`);
    const where = { status: 'OVERDUE', overdueDays: { $gte: days } } as const;
    return findPageInOrder(context.em, Installment, where, page, { field: 'dueDate', direction: 'asc' });
  }

  @Mutation(() => CollectionCaseNode, {
    description: `ADMIN: a note on an OPEN case (1 to 1,000 characters, at most ${COLLECTION_NOTES_PER_CASE_MAX}), with the date the borrower promised to pay.`,
  })
  async addCollectionNote(
    @Arg('caseId', () => ID, { description: 'An OPEN case.' }) caseId: string,
    @Arg('note', () => String, { description: 'What was said: 1 to 1,000 characters.' }) note: string,
    @Arg('promisedDate', () => DateScalar, { nullable: true, description: 'On or after the business date.' })
    promisedDate: string | null,
    @Ctx() context: Context,
  ): Promise<CollectionCase> {
    const admin = requireRole(context, ['ADMIN']);
    if (!isId(caseId)) throw CommonErrors.notFound('CollectionCase', caseId);
    const request = { caseId, note, promisedDate: promisedDate ?? null, authorId: admin.id };
    return addCollectionNote(context.em, request, new Date());
  }

  @FieldResolver(() => LoanReference, { description: 'The overdue loan.' })
  loan(@Root() row: CollectionCase): LoanReference {
    return { id: row.loanId };
  }

  @FieldResolver(() => UserReference, { description: 'The borrower: their profile holds the emergency contacts.' })
  borrower(@Root() row: CollectionCase): UserReference {
    return { id: row.borrowerId };
  }

  /** Batched: a page's notes in one query. */
  @FieldResolver(() => [CollectionNoteNode], { description: 'Staff notes, oldest first.' })
  notes(@Root() row: CollectionCase, @Ctx() context: Context): Promise<CollectionNote[]> {
    return context.loaders
      .allByColumn(CollectionNote, 'caseId', 'createdAt', COLLECTION_NOTES_PER_CASE_MAX)
      .load(row.id);
  }
}

@Resolver(() => CollectionNoteNode)
export class CollectionNoteResolver {
  @FieldResolver(() => UserReference, { description: 'The admin who wrote it.' })
  author(@Root() note: CollectionNote): UserReference {
    return { id: note.authorId };
  }
}
