import { Migration } from '@mikro-orm/migrations';

export class Migration20261206023014 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table \`auto_invest_rules\` (\`id\` varchar(36) not null, \`investor_id\` varchar(36) not null, \`enabled\` tinyint(1) not null, \`amount_per_loan_fen\` bigint not null, \`rate_min_micros\` int null, \`term_max_months\` int null, \`methods\` varchar(100) null, \`reserve_fen\` bigint not null, \`last_served_at\` datetime(3) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`auto_invest_rules\` add unique \`auto_invest_rules_investor_id_unique\`(\`investor_id\`);`,
    );
    this.addSql(
      `alter table \`auto_invest_rules\` add index \`auto_invest_rules_enabled_last_served_at_id_index\`(\`enabled\`, \`last_served_at\`, \`id\`);`,
    );

    this.addSql(
      `create table \`auto_invest_runs\` (\`loan_id\` varchar(36) not null, \`queued_at\` datetime(3) not null, \`finished_at\` datetime(3) null, \`bid_count\` int not null default 0, primary key (\`loan_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`auto_invest_runs\` add index \`auto_invest_runs_finished_at_queued_at_index\`(\`finished_at\`, \`queued_at\`);`,
    );

    this.addSql(`alter table \`bids\` add \`auto_rule_id\` varchar(36) null;`);
    this.addSql(`alter table \`bids\` add unique \`bids_loan_id_auto_rule_id_unique\`(\`loan_id\`, \`auto_rule_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`auto_invest_rules\`;`);

    this.addSql(`drop table if exists \`auto_invest_runs\`;`);

    this.addSql(`alter table \`bids\` drop index \`bids_loan_id_auto_rule_id_unique\`;`);
    this.addSql(`alter table \`bids\` drop column \`auto_rule_id\`;`);
  }
}
