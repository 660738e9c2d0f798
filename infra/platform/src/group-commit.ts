import { assert } from './assert';
import { currentChangeCollectors, reportingChangesTo, type ChangedTags } from './read-cache/change-tags';

export interface GroupCommitLimits {
  /** Groups running at once. */
  groupsInFlightMax: number;
  /** Items one group takes, at most; the rest wait for the next. */
  itemsPerGroupMax: number;
  /** Items waiting for a group, at most: past it `offer` takes nothing. */
  waitingMax: number;
  /**
   * A group starts at the end of the event-loop turn it was offered in (setImmediate), not at once: the
   * callers that a committed group releases together come back in that turn, and share the next group
   * instead of the first of them leaving alone. Costs a lone item one turn, no timer.
   */
  startAfterTurn?: boolean;
}

interface WaitingItem<TItem, TResult> {
  item: TItem;
  /** The offering request's change collectors: what the group changes is reported to each of its callers. */
  changeCollectors: ChangedTags[];
  resolve: (result: TResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit with no timer. An item offered while fewer than `groupsInFlightMax` groups run starts a
 * group at once, so a lone item pays no delay; otherwise it waits, and everything that waited goes in
 * the next group. Under load the fixed cost of a group (a transaction, a signature, a round trip) is paid
 * once for many items. `run` answers each item of its group, in order; when it throws, every item of
 * the group gets that error.
 */
export class GroupCommit<TItem, TResult> {
  private readonly waiting: WaitingItem<TItem, TResult>[] = [];
  private groupsInFlight = 0;
  private startScheduled = false;

  constructor(
    private readonly run: (items: TItem[]) => Promise<TResult[]>,
    private readonly limits: GroupCommitLimits,
  ) {
    const { groupsInFlightMax, itemsPerGroupMax, waitingMax } = limits;
    assert(
      Number.isInteger(groupsInFlightMax) && groupsInFlightMax >= 1,
      `groups in flight must be ≥ 1, got ${groupsInFlightMax}`,
    );
    assert(
      Number.isInteger(itemsPerGroupMax) && itemsPerGroupMax >= 1,
      `a group takes at least one item, got ${itemsPerGroupMax}`,
    );
    assert(
      Number.isInteger(waitingMax) && waitingMax >= itemsPerGroupMax,
      `the waiting bound ${waitingMax} must hold a whole group of ${itemsPerGroupMax}`,
    );
  }

  /** The item's result once its group ran; undefined, and nothing taken, when `waitingMax` items already wait. */
  offer(item: TItem): Promise<TResult> | undefined {
    return this.offerAll([item])?.[0];
  }

  /**
   * Items that belong together join the queue at once, so they share a group rather than the first one
   * leaving alone. All or none: undefined when they do not all fit under `waitingMax`.
   */
  offerAll(items: readonly TItem[]): Promise<TResult>[] | undefined {
    if (this.waiting.length + items.length > this.limits.waitingMax) return undefined;
    const changeCollectors = currentChangeCollectors();
    const results = items.map(
      (item) =>
        new Promise<TResult>((resolve, reject) => this.waiting.push({ item, changeCollectors, resolve, reject })),
    );
    this.scheduleGroups();
    return results;
  }

  private scheduleGroups(): void {
    if (this.limits.startAfterTurn !== true) return this.startGroups();
    if (this.startScheduled) return;
    this.startScheduled = true;
    setImmediate(() => {
      this.startScheduled = false;
      this.startGroups();
    });
  }

  private startGroups(): void {
    while (this.groupsInFlight < this.limits.groupsInFlightMax && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.limits.itemsPerGroupMax);
      this.groupsInFlight += 1;
      // runGroup settles every item of its group itself and never rejects: nothing is left to handle here.
      void this.runGroup(group).finally(() => {
        this.groupsInFlight -= 1;
        this.scheduleGroups();
      });
    }
  }

  private async runGroup(group: WaitingItem<TItem, TResult>[]): Promise<void> {
    try {
      const collectors = new Set(group.flatMap((waiting) => waiting.changeCollectors));
      const results = await reportingChangesTo([...collectors], () => this.run(group.map((waiting) => waiting.item)));
      assert(results.length === group.length, `a group of ${group.length} answered ${results.length} results`);
      group.forEach((waiting, index) => waiting.resolve(results[index]));
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
  }
}
