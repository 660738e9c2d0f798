import { Migration } from '@mikro-orm/migrations';

export class Migration20261122041435 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table \`outbox\` modify \`body\` mediumtext not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`outbox\` modify \`body\` text not null;`);
  }
}
