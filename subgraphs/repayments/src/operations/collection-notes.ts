import { CommonErrors, retryingLockConflicts, rowLockOptions, type EntityManager } from '@wanxin/platform';
import { collectionNoteProblem } from '../domain/collection-case';
import { CollectionCase } from '../entities/collection-case.entity';
import { CollectionNote } from '../entities/collection-note.entity';
import { currentBusinessDate } from './business-date';

export interface NoteRequest {
  caseId: string;
  note: string;
  promisedDate: string | null;
  authorId: string;
}

/** Staff note a call on an OPEN case; a promised date becomes the case's. Under the case's row lock. */
export async function addCollectionNote(em: EntityManager, request: NoteRequest, now: Date): Promise<CollectionCase> {
  const { caseId, note, promisedDate, authorId } = request;
  await retryingLockConflicts(() =>
    em.fork().transactional(async (tx) => {
      const [found] = await tx.find(CollectionCase, { id: caseId }, rowLockOptions(tx));
      if (found === undefined) throw CommonErrors.notFound('CollectionCase', caseId);
      if (found.status !== 'OPEN') throw CommonErrors.conflict(`case ${caseId} is closed: the loan is current`);
      const businessDate = await currentBusinessDate(tx);
      const problem = collectionNoteProblem(
        note,
        promisedDate,
        businessDate,
        await tx.count(CollectionNote, { caseId }),
      );
      if (problem !== null) throw CommonErrors.badInput(problem.field, problem.reason);
      tx.create(CollectionNote, { caseId, note: note.trim(), promisedDate, authorId, businessDate, createdAt: now });
      if (promisedDate !== null) found.promisedDate = promisedDate;
    }),
  );
  return em.findOneOrFail(CollectionCase, { id: caseId }, { refresh: true });
}
