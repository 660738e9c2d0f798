import { Migration } from '@mikro-orm/migrations';

export class Migration20261205221911 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`statistics_days\` (\`business_date\` varchar(10) not null, \`loans_published\` bigint not null default 0, \`amount_funded_fen\` bigint not null default 0, primary key (\`business_date\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `alter table \`loans\` add \`opened_business_date\` varchar(10) null, add \`disbursed_business_date\` varchar(10) null;`,
    );

    // The business date loans knew at the time: the latest day announced by then, else the UTC date.
    const knownAt = (column: string) =>
      `coalesce((select max(\`d\`.\`date\`) from \`business_days\` \`d\` where \`d\`.\`received_at\` <= \`loans\`.\`${column}\`), ` +
      `date_format(\`loans\`.\`${column}\`, '%Y-%m-%d'))`;
    this.addSql(
      `update \`loans\` set \`opened_business_date\` = ${knownAt('opened_at')} where \`opened_at\` is not null;`,
    );
    this.addSql(
      `update \`loans\` set \`disbursed_business_date\` = ${knownAt('disbursed_at')} where \`disbursed_at\` is not null;`,
    );
    this.addSql(
      `insert into \`statistics_days\` (\`business_date\`, \`loans_published\`, \`amount_funded_fen\`) ` +
        `select \`day\`, sum(\`opened\`), sum(\`funded\`) from (` +
        `select \`opened_business_date\` as \`day\`, 1 as \`opened\`, 0 as \`funded\` from \`loans\` ` +
        `where \`opened_business_date\` is not null union all ` +
        `select \`disbursed_business_date\`, 0, \`amount_fen\` from \`loans\` where \`disbursed_business_date\` is not null` +
        `) \`facts\` group by \`day\`;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`statistics_days\`;`);

    this.addSql(`alter table \`loans\` drop column \`opened_business_date\`, drop column \`disbursed_business_date\`;`);
  }
}
