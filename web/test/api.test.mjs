// The Link header parser the vessel list's paging relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextLink } from '../src/api.js';

test('nextLink finds rel="next" among links and gives its query', () => {
  assert.equal(nextLink(null), null);
  assert.equal(nextLink('</a?x=1>; rel="prev"'), null);
  const u = nextLink('</api/vessels?after=257000001&limit=7&bbox=4,59,6,61>; rel="next"');
  assert.equal(u.search, '?after=257000001&limit=7&bbox=4,59,6,61');
  assert.equal(nextLink('</p?a=1>; rel="prev", </n?a=2>; rel=next').search, '?a=2');
});
