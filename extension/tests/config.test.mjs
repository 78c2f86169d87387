import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEFAULTS, normalizeConfig } from '../src/chrome/config.js';
import { absolutizeCharts } from '../src/ui/run-view.js';

test('settings default to the local gateway and Google; URLs lose trailing slashes; unknown modes fall back', () => {
  assert.deepEqual(normalizeConfig(undefined), { ...DEFAULTS });
  const config = normalizeConfig({ gatewayUrl: ' https://fin.example.com/ ', docsApiUrl: 'http://127.0.0.1:9/', authMode: 'root', clientId: ' c ' });
  assert.equal(config.gatewayUrl, 'https://fin.example.com');
  assert.equal(config.docsApiUrl, 'http://127.0.0.1:9');
  assert.equal(config.authMode, 'google');
  assert.equal(config.clientId, 'c');
  assert.equal(normalizeConfig({ gatewayUrl: '' }).gatewayUrl, 'http://127.0.0.1:8000');
});

test('relative chart URLs are resolved against the gateway for the preview and the Docs API', () => {
  const result = absolutizeCharts(
    { charts: [{ url: '/v1/charts/a.png' }, { url: 'https://gw.example/v1/charts/b.png' }], blocks: [{ type: 'chart', url: 'v1/charts/c.png' }, { type: 'paragraph', text: 'x' }] },
    'https://gw.example/base',
  );
  assert.deepEqual(result.charts.map((c) => c.url), ['https://gw.example/v1/charts/a.png', 'https://gw.example/v1/charts/b.png']);
  assert.equal(result.blocks[0].url, 'https://gw.example/base/v1/charts/c.png');
  assert.deepEqual(result.blocks[1], { type: 'paragraph', text: 'x' });
});
