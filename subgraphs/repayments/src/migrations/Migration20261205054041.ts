import { Migration } from '@mikro-orm/migrations';

export class Migration20261205054041 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table \`repayment_loans\` add \`project_settle_request_no\` varchar(40) null, add \`bank_project_settled_at\` datetime(3) null;`,
    );
    this.addSql(
      `alter table \`repayment_loans\` add index \`repayment_loans_status_bank_project_settled_at_index\`(\`status\`, \`bank_project_settled_at\`);`,
    );
    // Loans settled before: their projects are told SETTLED too, each under a requestNo of its own.
    this.addSql(
      "update `repayment_loans` set `project_settle_request_no` = concat('RS', upper(replace(uuid(), '-', ''))) where `status` = 'SETTLED';",
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`repayment_loans\` drop index \`repayment_loans_status_bank_project_settled_at_index\`;`);
    this.addSql(
      `alter table \`repayment_loans\` drop column \`project_settle_request_no\`, drop column \`bank_project_settled_at\`;`,
    );
  }
}
