// `npm run migration:create -- <subgraph>`: writes the subgraph's next MySQL migration (needs DATABASE_URL).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import platform from '@wanxin/platform';
import launcher from '@wanxin/launcher';
import bank from '@wanxin/bank-simulator';
import identity from '@wanxin/identity-simulator';
import risk from '@wanxin/risk-simulator';
import sms from '@wanxin/sms-simulator';

// Each subgraph's database, and each simulator's (its own package and database).
const databases = Object.fromEntries([
  ...launcher
    .allSubgraphs()
    .map((definition) => [
      definition.name,
      { spec: definition.database, directory: ['subgraphs', definition.name, 'src', 'migrations'] },
    ]),
  ['bank', { spec: bank.bankDatabase, directory: ['infra', 'simulators', 'bank', 'src', 'migrations'] }],
  [
    'identity',
    { spec: identity.identityDatabase, directory: ['infra', 'simulators', 'identity', 'src', 'migrations'] },
  ],
  ['risk', { spec: risk.riskDatabase, directory: ['infra', 'simulators', 'risk', 'src', 'migrations'] }],
  ['sms', { spec: sms.smsDatabase, directory: ['infra', 'simulators', 'sms', 'src', 'migrations'] }],
]);
const name = process.argv[2];
const database = databases[name];
if (database === undefined) {
  console.error(`usage: npm run migration:create -- <${Object.keys(databases).join('|')}>`);
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = platform.loadConfig(process.env, platform.readPlatformConfig);
const file = await platform.createNextMigration(config, database.spec, path.join(root, ...database.directory));
console.log(
  file === null ? `${name}: schema is up to date, no migration written` : `${name}: wrote ${path.relative(root, file)}`,
);
