// Classification banners of labels and the page banner: `node --test web/test/`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { banner, pageBanner, levelOf, previewText } from '../src/labels-banner.js';
import { previewCookie, cookieValue, PREVIEW_COOKIE } from '../src/preview-model.js';

const open = { banner: 'UNCLASSIFIED', classification: {}, releasable_to: null, caveats: [], level: 0 };
const nor = { banner: 'NOR BEGRENSET//REL NOR', classification: { NOR: 'BEGRENSET' }, releasable_to: ['NOR'], caveats: [], level: 1 };
const nato = {
  banner: 'NATO RESTRICTED + NOR BEGRENSET//REL NOR//CABLE OPS',
  classification: { NATO: 'NATO RESTRICTED', NOR: 'BEGRENSET' }, releasable_to: ['NOR'], caveats: ['CABLE OPS'], level: 1,
};
const secret = { banner: 'NATO SECRET//REL NATO, EU', classification: { NATO: 'NATO SECRET' }, releasable_to: ['NATO', 'EU'], caveats: [], level: 3 };

test('an item banner: classification, releasability and caveats, coloured by level', () => {
  assert.deepEqual(banner(open), { text: 'UNCLASSIFIED', level: 0, cls: 'label-unclassified', title: 'UNCLASSIFIED' });
  assert.equal(banner({ ...open, releasable_to: ['NATO', 'EU'] }).text, 'UNCLASSIFIED · REL NATO, EU');
  assert.deepEqual(banner(nor), { text: 'BEGRENSET · REL NOR', level: 1, cls: 'label-restricted', title: 'NOR BEGRENSET//REL NOR' });
  assert.equal(banner(nato).text, 'NATO RESTRICTED + BEGRENSET · REL NOR · CABLE OPS');
  assert.equal(banner(secret).cls, 'label-secret');
  assert.equal(banner({ ...nor, releasable_to: [] }).text, 'BEGRENSET · REL none');
});

test('no label, or a label without a level', () => {
  assert.equal(banner(null), null);
  assert.equal(banner(undefined), null);
  assert.equal(levelOf({ classification: { NOR: 'HEMMELIG' } }), 1, 'classified at least restricted');
  assert.equal(levelOf({ classification: {} }), 0);
  assert.equal(levelOf({ level: 9 }), 4, 'capped at top secret');
});

test('the page banner is the highest classification on screen', () => {
  assert.equal(pageBanner([]), null);
  assert.equal(pageBanner([null, undefined]), null);
  assert.deepEqual(pageBanner([open, open]), { text: 'UNCLASSIFIED', level: 0, cls: 'label-unclassified' });
  assert.deepEqual(pageBanner([open, nor, open]), { text: 'BEGRENSET', level: 1, cls: 'label-restricted' });
  assert.equal(pageBanner([nor, nato]).text, 'BEGRENSET + NATO RESTRICTED', 'each name once');
  assert.deepEqual(pageBanner([nor, secret, open]), { text: 'NATO SECRET', level: 3, cls: 'label-secret' });
});

test('the preview notice and its cookie', () => {
  assert.equal(previewText('swe'), 'Preview as SWE — not a release');
  assert.equal(previewCookie('swe'), `${PREVIEW_COOKIE}=swe; Path=/; SameSite=Strict`);
  assert.match(previewCookie(null), /^varde_view_as=; Path=\/; Max-Age=0/);
  assert.equal(previewCookie('a b;c'), `${PREVIEW_COOKIE}=a%20b%3Bc; Path=/; SameSite=Strict`);
  assert.equal(cookieValue('x=1; varde_view_as=a%20b; y=2', PREVIEW_COOKIE), 'a b');
  assert.equal(cookieValue('x=1', PREVIEW_COOKIE), null);
  assert.equal(cookieValue('varde_view_as=', PREVIEW_COOKIE), null);
});
