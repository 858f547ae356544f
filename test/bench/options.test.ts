import assert from 'node:assert/strict';
import { parseOptions } from '../../bench/options';

describe('bench options', () => {
  it('runs a saturation climb from concurrency 5 on a 5-second window, up to 320', () => {
    const o = parseOptions(['--saturate'])!;
    assert.deepEqual(
      { mode: o.mode, concurrency: o.concurrency, window: o.windowSeconds, max: o.saturateMax, json: o.json },
      { mode: 'saturate', concurrency: 5, window: 5, max: 320, json: 'bench-results/latest-saturation.json' },
    );
  });

  it('refuses a saturation and a scale run at once, and reads --cluster in every mode', () => {
    assert.throws(() => parseOptions(['--saturate', '--scale', '100']), /exclude each other/);
    assert.equal(parseOptions(['--cluster', '--scale', '100'])!.cluster, true);
    assert.equal(parseOptions([])!.cluster, false);
  });
});
