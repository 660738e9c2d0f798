import { Migration } from '@mikro-orm/migrations';

export class Migration20261205185527 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`bank_accounts\` add \`posting_seq\` bigint not null default 0;`);
    // Accounts with a history number it from here on: their postings so far are the requests that moved them.
    this.addSql(
      'update `bank_accounts` set `posting_seq` = (select count(distinct t.`request_no`) from `bank_transfers` t ' +
        'where t.`debit_account_id` = `bank_accounts`.`id` or t.`credit_account_id` = `bank_accounts`.`id`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`bank_accounts\` drop column \`posting_seq\`;`);
  }
}
