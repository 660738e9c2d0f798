// The gateway's read cache on its own: an answer is served while nothing it read changed since it was asked,
// whatever the order of asking and changing (an answer read before a change is never kept as fresh after it);
// changes are keyed by subgraph and entity (a loan's change leaves another loan's answers), a change naming
// no key drops all of its subgraph's; answers are shared only between viewers of the same kind, never with a
// viewer the subgraph compared, nor with a revoked user; everything kept is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { Viewer } from '@wanxin/platform';
import { DEFAULT_READ_CACHE_LIMITS, dependenciesOfFetch, ReadCache, ScopeUnion } from '../src/read-cache';

const investor: Viewer = { id: 'investor-1', role: 'INVESTOR' };
const otherInvestor: Viewer = { id: 'investor-2', role: 'INVESTOR' };
const borrower: Viewer = { id: 'borrower-1', role: 'BORROWER' };

function newCache(limits = DEFAULT_READ_CACHE_LIMITS) {
  return new ReadCache(limits, new Registry());
}

function scope(perKind: boolean, owners: string[] = []): ScopeUnion {
  const union = new ScopeUnion();
  union.add(perKind ? { viewer: 'KIND', owners } : { viewer: 'PUBLIC' });
  return union;
}

const loanA = dependenciesOfFetch('bids', { representations: [{ __typename: 'Loan', id: 'A' }] });
const loanB = dependenciesOfFetch('bids', { representations: [{ __typename: 'Loan', id: 'B' }] });
const list = dependenciesOfFetch('loans', {});

const servedValue = (cache: ReadCache, key: string, viewer: Viewer | null = investor) => {
  const found = cache.lookup('fetch', key, viewer);
  return typeof found === 'object' ? JSON.parse(found.hit.json) : found;
};

test('fetch dependencies: each entity asked about, or the lists of a root field, and always the whole subgraph', () => {
  assert.deepEqual(loanA, ['bids|all', 'bids|Loan:A']);
  assert.deepEqual(list, ['loans|all', 'loans|*']);
});

test('fresh until a change to what it read; a change to another entity leaves it', () => {
  const cache = newCache();
  cache.keep('a', null, { dependencies: loanA, since: cache.now, scope: scope(false) }, { raised: 1 });
  cache.keep('b', null, { dependencies: loanB, since: cache.now, scope: scope(false) }, { raised: 2 });
  cache.keep('list', null, { dependencies: list, since: cache.now, scope: scope(false) }, { loans: 2 });
  assert.deepEqual(servedValue(cache, 'a'), { raised: 1 });
  cache.changed({ subgraph: 'bids', tags: ['Loan:A'], all: false });
  assert.equal(servedValue(cache, 'a'), 'miss');
  assert.deepEqual(servedValue(cache, 'b'), { raised: 2 }, "another loan's answer stays");
  assert.deepEqual(servedValue(cache, 'list'), { loans: 2 }, "another subgraph's answer stays");
  cache.changed({ subgraph: 'loans', tags: ['Loan:A'], all: false });
  assert.equal(servedValue(cache, 'list'), 'miss', "a loan's change is a change to loans' lists");
  cache.changed({ subgraph: 'bids', tags: [], all: true });
  assert.equal(servedValue(cache, 'b'), 'miss', 'a change naming no key drops all of the subgraph');
});

test('an answer read before a change is not kept when it arrives after it', () => {
  const cache = newCache();
  const since = cache.now;
  cache.changed({ subgraph: 'bids', tags: ['Loan:A'], all: false });
  cache.keep('a', null, { dependencies: loanA, since, scope: scope(false) }, { raised: 'old' });
  assert.equal(servedValue(cache, 'a'), 'miss');
  const after = cache.now;
  cache.keep('a', null, { dependencies: loanA, since: after, scope: scope(false) }, { raised: 'new' });
  assert.deepEqual(servedValue(cache, 'a'), { raised: 'new' });
});

test('shared by viewer kind only, never with a viewer compared, nor after a revocation', () => {
  const cache = newCache();
  cache.keep(
    'page',
    investor,
    { dependencies: list, since: cache.now, scope: scope(true, ['borrower-1']) },
    { kind: 'investor' },
  );
  assert.deepEqual(servedValue(cache, 'page', otherInvestor), { kind: 'investor' }, 'another investor');
  assert.equal(servedValue(cache, 'page', null), 'miss', 'a visitor is another kind');
  assert.equal(servedValue(cache, 'page', borrower), 'bypass', 'the borrower compared: their own answer');
  cache.keep(
    'page',
    borrower,
    { dependencies: list, since: cache.now, scope: scope(true, ['borrower-1']) },
    { kind: 'mine' },
  );
  assert.equal(servedValue(cache, 'page', borrower), 'bypass', "the borrower's answer is not kept");
  cache.keep('page', null, { dependencies: list, since: cache.now, scope: scope(true) }, { kind: 'visitor' });
  assert.deepEqual(servedValue(cache, 'page', null), { kind: 'visitor' });
  assert.deepEqual(servedValue(cache, 'page', otherInvestor), { kind: 'investor' });
  cache.revoked(otherInvestor.id);
  assert.equal(servedValue(cache, 'page', otherInvestor), 'bypass', 'a revoked user goes to the subgraphs');
});

test('an answer that turns out per kind drops what was kept for everyone', () => {
  const cache = newCache();
  cache.keep('page', null, { dependencies: list, since: cache.now, scope: scope(false) }, { shared: true });
  cache.keep('page', investor, { dependencies: list, since: cache.now, scope: scope(true) }, { kind: 'investor' });
  assert.equal(servedValue(cache, 'page', null), 'miss');
  assert.deepEqual(servedValue(cache, 'page', otherInvestor), { kind: 'investor' });
});

test('bounded: entries, bytes and tag versions; forgetting all after missed events', () => {
  const cache = newCache({ ...DEFAULT_READ_CACHE_LIMITS, entriesMax: 3, tagsMax: 4 });
  for (const key of ['1', '2', '3', '4'])
    cache.keep(key, null, { dependencies: loanA, since: cache.now, scope: scope(false) }, key);
  assert.equal(servedValue(cache, '1'), 'miss', 'the least recently used went first');
  assert.equal(servedValue(cache, '4'), '4');
  cache.changed({ subgraph: 'bids', tags: ['Loan:X', 'Loan:Y', 'Loan:Z', 'Loan:W'], all: false });
  assert.equal(servedValue(cache, '4'), 'miss', 'past the tag bound every version is forgotten: all is stale');
  cache.keep('5', null, { dependencies: loanA, since: cache.now, scope: scope(false) }, '5');
  cache.forgetAll();
  assert.equal(servedValue(cache, '5'), 'miss');
});
