import { Migration } from '@mikro-orm/migrations';

export class Migration20261205221909 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`business_days\` (\`date\` varchar(10) not null, primary key (\`date\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `create table \`statistics_days\` (\`business_date\` varchar(10) not null, \`new_users\` bigint not null default 0, primary key (\`business_date\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(`alter table \`users\` add \`registered_business_date\` varchar(10) null;`);

    // Users kept no business clock before: an existing account counts on the UTC date it registered (the
    // date a consumer falls back to without one), and the read model starts from those.
    this.addSql(`update \`users\` set \`registered_business_date\` = date_format(\`created_at\`, '%Y-%m-%d');`);
    this.addSql(
      `insert into \`statistics_days\` (\`business_date\`, \`new_users\`) ` +
        `select \`registered_business_date\`, count(*) from \`users\` group by \`registered_business_date\`;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`business_days\`;`);

    this.addSql(`drop table if exists \`statistics_days\`;`);

    this.addSql(`alter table \`users\` drop column \`registered_business_date\`;`);
  }
}
