import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';

/** A staff note on a collection case: what was said, a promised date to pay, who wrote it and when. */
@Entity({ tableName: 'collection_notes' })
export class CollectionNote {
  [OptionalProps]?: 'id' | 'promisedDate';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 36, index: true })
  caseId!: string;

  @Property({ type: 'string', length: 1000 })
  note!: string;

  @Property({ type: 'string', length: 10, nullable: true })
  promisedDate: string | null = null;

  /** The admin's user id. */
  @Property({ type: 'string', length: 36 })
  authorId!: string;

  @Property({ type: 'string', length: 10 })
  businessDate!: string;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}
