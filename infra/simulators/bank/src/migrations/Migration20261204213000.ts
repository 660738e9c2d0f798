import { Migration } from '@mikro-orm/migrations';

export class Migration20261204213000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`bank_requests\` add \`accounting_date\` varchar(10) null;`);
    // Requests recorded before instructions carried their accounting date are booked on their UTC day.
    this.addSql(`update \`bank_requests\` set \`accounting_date\` = date_format(\`created_at\`, '%Y-%m-%d');`);
    this.addSql(`alter table \`bank_requests\` modify \`accounting_date\` varchar(10) not null;`);
    this.addSql(
      `alter table \`bank_requests\` add index \`bank_requests_accounting_date_created_at_index\`(\`accounting_date\`, \`created_at\`);`,
    );
    this.addSql(
      `alter table \`bank_trade_password_tries\` add index \`bank_trade_password_tries_tried_at_index\`(\`tried_at\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`bank_trade_password_tries\` drop index \`bank_trade_password_tries_tried_at_index\`;`);
    this.addSql(`alter table \`bank_requests\` drop index \`bank_requests_accounting_date_created_at_index\`;`);
    this.addSql(`alter table \`bank_requests\` drop column \`accounting_date\`;`);
  }
}
