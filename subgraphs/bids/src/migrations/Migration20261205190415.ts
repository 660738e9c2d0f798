import { Migration } from '@mikro-orm/migrations';

export class Migration20261205190415 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`bids\` add index \`bids_investor_id_loan_id_index\`(\`investor_id\`, \`loan_id\`);`);
    this.addSql(`alter table \`bids\` add index \`bids_investor_id_status_index\`(\`investor_id\`, \`status\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`bids\` drop index \`bids_investor_id_loan_id_index\`;`);
    this.addSql(`alter table \`bids\` drop index \`bids_investor_id_status_index\`;`);
  }
}
