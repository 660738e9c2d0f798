import { subscribeTo } from '@wanxin/platform';
import { InstallmentRepaid } from '@wanxin/platform/contracts';
import { confirmRequestNoFor } from '../domain/request-numbers';
import { Collection, type CollectionStatus } from '../entities/collection.entity';
import { setConfirmRequestNo } from '../store';

/** A collection whose freeze the bank holds (or has already settled, on a redelivery). */
const CONFIRMABLE_STATUSES: readonly CollectionStatus[] = ['FROZEN', 'CONFIRMED'];

/**
 * `repayments.installment.repaid` → the collection's CONFIRM_REPAYMENT is due: its requestNo is fixed
 * here, in the inbox's transaction (a duplicate delivery finds it set and changes nothing), and the settle
 * pass sends it outside any transaction, again until the bank answers (jobs/settle-collections.ts).
 */
export const confirmOnInstallmentRepaid = subscribeTo(
  InstallmentRepaid,
  'confirm-on-installment-repaid',
  async (em, { collectionRequestNo }) => {
    // One conditional update in the usual case; the read only says why nothing matched.
    const set = await setConfirmRequestNo(
      em,
      collectionRequestNo,
      confirmRequestNoFor(collectionRequestNo),
      CONFIRMABLE_STATUSES,
    );
    if (set === 1) return;
    const collection = await em.findOne(Collection, { requestNo: collectionRequestNo });
    if (collection === null || !CONFIRMABLE_STATUSES.includes(collection.status)) {
      throw new Error(
        `repayments.installment.repaid: collection ${collectionRequestNo} is ${collection?.status ?? 'missing'}, not FROZEN`,
      );
    }
  },
);
