import { Migration } from '@mikro-orm/migrations';

export class Migration20261206023000 extends Migration {
  override async up(): Promise<void> {
    // Collections frozen before their confirm requestNo was fixed with the freeze: "RC" and the freeze's digits.
    this.addSql(
      `update \`collections\` set \`confirm_request_no\` = concat('RC', substring(\`request_no\`, 3)) ` +
        `where \`status\` = 'FROZEN' and \`confirm_request_no\` is null;`,
    );
  }
}
