import { Migration } from '@mikro-orm/migrations';

export class Migration20261205050421 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table \`loans\` add \`cancel_reason\` varchar(500) null, add \`cancelled_by\` varchar(36) null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`loans\` drop column \`cancel_reason\`, drop column \`cancelled_by\`;`);
  }
}
