import { Migration } from '@mikro-orm/migrations';

export class Migration20261205015100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`identity_checks\` add \`user_claim\` varchar(36) null;`);
    // Checks in progress or verified before the column existed hold their user's claim too.
    this.addSql(
      `update \`identity_checks\` set \`user_claim\` = \`user_id\` where \`status\` in ('PENDING', 'VERIFIED');`,
    );
    this.addSql(`alter table \`identity_checks\` add unique \`identity_checks_user_claim_unique\`(\`user_claim\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`identity_checks\` drop index \`identity_checks_user_claim_unique\`;`);
    this.addSql(`alter table \`identity_checks\` drop column \`user_claim\`;`);
  }
}
