import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';

/** A verification code sent to a mobile: only its hash is kept; used once, void after its wrong guesses. */
@Entity({ tableName: 'sms_codes' })
@Index({ properties: ['mobile', 'createdAt'] })
export class SmsCode {
  [OptionalProps]?: 'id' | 'wrongGuesses' | 'usedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 11 })
  mobile!: string;

  /** SHA-256 of the code and the row's id, hex. */
  @Property({ type: 'string', length: 64 })
  codeHash!: string;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;

  @Property({ type: 'Date', length: 3 })
  expiresAt!: Date;

  @Property({ type: 'integer' })
  wrongGuesses: number = 0;

  @Property({ type: 'Date', length: 3, nullable: true })
  usedAt: Date | null = null;
}
