import { Migration } from '@mikro-orm/migrations';

export class Migration20261205221913 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`statistics_days\` (\`business_date\` varchar(10) not null, \`amount_repaid_fen\` bigint not null default 0, \`amount_overdue_fen\` bigint not null default 0, \`amount_due_fen\` bigint not null default 0, \`amount_due_overdue_fen\` bigint not null default 0, \`installments_due\` bigint not null default 0, primary key (\`business_date\`)) default character set utf8mb4 engine = InnoDB;`,
    );

    this.addSql(
      `alter table \`installments\` add \`overdue_business_date\` varchar(10) null, add \`repaid_business_date\` varchar(10) null;`,
    );

    // Repaid on its collection's business date; fell overdue the day after its due date (the daily run's day 1).
    this.addSql(
      `update \`installments\` \`i\` join \`collections\` \`c\` on \`c\`.\`request_no\` = \`i\`.\`collection_request_no\` ` +
        `set \`i\`.\`repaid_business_date\` = \`c\`.\`business_date\` where \`i\`.\`status\` = 'REPAID';`,
    );
    this.addSql(
      `update \`installments\` set \`overdue_business_date\` = date_format(date_add(\`due_date\`, interval 1 day), '%Y-%m-%d') ` +
        `where \`status\` = 'OVERDUE' or \`overdue_days\` > 0;`,
    );
    this.addSql(
      `insert into \`statistics_days\` (\`business_date\`, \`amount_repaid_fen\`, \`amount_overdue_fen\`, ` +
        `\`amount_due_fen\`, \`amount_due_overdue_fen\`, \`installments_due\`) ` +
        `select \`day\`, sum(\`repaid\`), sum(\`overdue\`), sum(\`due\`), sum(\`due_overdue\`), sum(\`installments\`) ` +
        `from (` +
        `select \`repaid_business_date\` as \`day\`, \`principal_fen\` + \`interest_fen\` + \`penalty_fen\` as \`repaid\`, ` +
        `0 as \`overdue\`, 0 as \`due\`, 0 as \`due_overdue\`, 0 as \`installments\` from \`installments\` ` +
        `where \`status\` = 'REPAID' and \`repaid_business_date\` is not null union all ` +
        `select \`overdue_business_date\`, 0, \`principal_fen\` + \`interest_fen\`, 0, 0, 0 from \`installments\` ` +
        `where \`overdue_business_date\` is not null union all ` +
        `select \`due_date\`, 0, 0, 0, \`principal_fen\` + \`interest_fen\`, 0 from \`installments\` ` +
        `where \`overdue_business_date\` is not null union all ` +
        `select \`due_date\`, 0, 0, \`principal_fen\` + \`interest_fen\`, 0, 1 from \`installments\` ` +
        `where \`due_date\` <= (select \`business_date\` from \`business_clock\` where \`id\` = 1)` +
        `) \`facts\` group by \`day\`;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`statistics_days\`;`);

    this.addSql(
      `alter table \`installments\` drop column \`overdue_business_date\`, drop column \`repaid_business_date\`;`,
    );
  }
}
