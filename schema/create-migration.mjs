// `npm run migration:create -- <subgraph>`: writes the subgraph's next MySQL migration (needs DATABASE_URL).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import platform from '@wanxin/platform';
import subgraphs from '@wanxin/gateway/dist/src/subgraphs.js';

const name = process.argv[2];
const definition = subgraphs.allSubgraphs().find((candidate) => candidate.name === name);
if (definition === undefined) {
  console.error(`usage: npm run migration:create -- <${platform.SUBGRAPH_NAMES.join('|')}>`);
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = platform.loadConfig(process.env, platform.readPlatformConfig);
const file = await platform.createNextMigration(config, definition.database, path.join(root, 'subgraphs', name, 'src', 'migrations'));
console.log(file === null ? `${name}: schema is up to date, no migration written` : `${name}: wrote ${path.relative(root, file)}`);
