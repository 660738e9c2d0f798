// `npm run schema`: prints each subgraph's SDL to schema/<name>.graphql, writes the gateway's events-only
// schema to schema/events.graphql, and composes schema/supergraph.graphql. Composition hints must be
// listed in accepted-hints.json with a reason.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import launcher from '@wanxin/launcher';

const directory = path.dirname(fileURLToPath(import.meta.url));
const accepted = JSON.parse(fs.readFileSync(path.join(directory, 'accepted-hints.json'), 'utf8'));
const composed = await launcher.composeWanxinSupergraph();
for (const [name, content] of composed.files) fs.writeFileSync(path.join(directory, name), content);
const unaccepted = composed.hints.filter(
  (hint) => !accepted.some((a) => a.code === hint.code && a.message === hint.message),
);
console.log(`wrote ${[...composed.files.keys()].join(', ')}`);
for (const hint of unaccepted) console.error(`unaccepted composition hint ${hint.code}: ${hint.message}`);
process.exit(unaccepted.length === 0 ? 0 : 1);
