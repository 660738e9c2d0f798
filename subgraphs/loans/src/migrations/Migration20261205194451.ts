import { Migration } from '@mikro-orm/migrations';

export class Migration20261205194451 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table \`loans\` add \`funded_fen\` bigint not null default 0, add \`progress_e18\` bigint not null default 0;`,
    );
    // Loans fully funded before loans counted bids were funded to the amount: progress 1 (10^18). Earlier
    // bids of loans still fundraising went unheard here; those count from their next bid on.
    this.addSql(
      `update \`loans\` set \`funded_fen\` = \`amount_fen\`, \`progress_e18\` = 1000000000000000000 ` +
        `where \`status\` in ('FULLY_FUNDED', 'REPAYING', 'SETTLED');`,
    );
    this.addSql(
      `alter table \`loans\` add index \`loans_repayment_method_annual_rate_micros_id_term_m_59eb5_index\`(\`repayment_method\`, \`annual_rate_micros\`, \`id\`, \`term_months\`, \`status\`);`,
    );
    this.addSql(`alter table \`loans\` add index \`loans_progress_e18_id_index\`(\`progress_e18\`, \`id\`);`);
    this.addSql(`alter table \`loans\` add index \`loans_term_months_id_index\`(\`term_months\`, \`id\`);`);
    this.addSql(
      `alter table \`loans\` add index \`loans_annual_rate_micros_id_index\`(\`annual_rate_micros\`, \`id\`);`,
    );
    this.addSql(`alter table \`loans\` add index \`loans_amount_fen_id_index\`(\`amount_fen\`, \`id\`);`);
    this.addSql(`alter table \`loans\` add index \`loans_created_at_id_index\`(\`created_at\`, \`id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table \`loans\` drop index \`loans_repayment_method_annual_rate_micros_id_term_m_59eb5_index\`;`,
    );
    this.addSql(`alter table \`loans\` drop index \`loans_progress_e18_id_index\`;`);
    this.addSql(`alter table \`loans\` drop index \`loans_term_months_id_index\`;`);
    this.addSql(`alter table \`loans\` drop index \`loans_annual_rate_micros_id_index\`;`);
    this.addSql(`alter table \`loans\` drop index \`loans_amount_fen_id_index\`;`);
    this.addSql(`alter table \`loans\` drop index \`loans_created_at_id_index\`;`);
    this.addSql(`alter table \`loans\` drop column \`funded_fen\`, drop column \`progress_e18\`;`);
  }
}
