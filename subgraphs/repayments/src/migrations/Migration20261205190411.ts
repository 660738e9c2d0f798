import { Migration } from '@mikro-orm/migrations';

export class Migration20261205190411 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table \`receivables\` add index \`receivables_investor_id_loan_id_index\`(\`investor_id\`, \`loan_id\`);`,
    );
    this.addSql(
      `alter table \`receivables\` add index \`receivables_investor_id_status_index\`(\`investor_id\`, \`status\`);`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`receivables\` drop index \`receivables_investor_id_loan_id_index\`;`);
    this.addSql(`alter table \`receivables\` drop index \`receivables_investor_id_status_index\`;`);
  }
}
