// Proves schema/ is current: the SDL printed from code, the gateway's events-only schema and the composed
// supergraph equal the committed files, composition has no errors, and every composition hint is one
// accepted in accepted-hints.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { composeWanxinSupergraph } from '@wanxin/launcher';
import { REPOSITORY_ROOT } from './harness/processes';

const schemaDirectory = path.join(REPOSITORY_ROOT, 'schema');

test('committed SDL and supergraph are what the code composes (run `npm run schema` to update)', async () => {
  const composed = await composeWanxinSupergraph();
  assert.equal(composed.files.size, 7);
  for (const [name, content] of composed.files) {
    const committed = fs.readFileSync(path.join(schemaDirectory, name), 'utf8');
    assert.equal(committed, content, `schema/${name} is stale`);
  }
});

test('composition reports no hint that has not been accepted', async () => {
  const accepted: { code: string; message: string }[] = JSON.parse(
    fs.readFileSync(path.join(schemaDirectory, 'accepted-hints.json'), 'utf8'),
  );
  const { hints } = await composeWanxinSupergraph();
  const unaccepted = hints.filter(
    (hint) => !accepted.some((known) => known.code === hint.code && known.message === hint.message),
  );
  assert.deepEqual(unaccepted, []);
});

test('the contract names front ends rely on are in the supergraph', () => {
  const supergraph = fs.readFileSync(path.join(schemaDirectory, 'supergraph.graphql'), 'utf8');
  for (const name of [
    'register(',
    'login(',
    'createAdmin(',
    'me:',
    'user(',
    'depositoryAccount:',
    'loans(',
    'bids(',
    'receivables(',
    'scalar Money',
    'scalar Rate',
    'scalar DateTime',
    'type Subscription',
    'loanFunding(',
    'repaymentStatus(',
    'platformStats:',
  ]) {
    assert.ok(supergraph.includes(name), `supergraph lacks ${name}`);
  }
});
