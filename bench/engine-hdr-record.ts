/**
 * Micro-benchmark: which hdr-histogram-js build records faster (pure JS or WebAssembly)?
 * Run: node --import tsx bench/engine-hdr-record.ts
 */
import * as hdr from 'hdr-histogram-js';

async function main(): Promise<void> {
  await hdr.initWebAssembly();
  const vals = Array.from({ length: 1000 }, (_, i) => 50 + ((i * 7919) % 100000));
  const N = 3_000_000;
  const variants: Array<[string, hdr.BuildRequest]> = [
    ['js autoResize', { useWebAssembly: false, autoResize: true }],
    ['js fixed 1h', { useWebAssembly: false, autoResize: false, highestTrackableValue: 3_600_000_000 }],
    ['js packed', { useWebAssembly: false, bitBucketSize: 'packed', highestTrackableValue: 3_600_000_000 }],
    ['wasm autoResize', { useWebAssembly: true, autoResize: true }],
    ['wasm fixed 1h', { useWebAssembly: true, autoResize: false, highestTrackableValue: 3_600_000_000 }],
  ];
  for (let round = 0; round < 2; round++) {
    for (const [label, req] of variants) {
      const h = hdr.build({ numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1, ...req });
      const t = performance.now();
      for (let i = 0; i < N; i++) h.recordValue(vals[i % 1000]!);
      const dt = performance.now() - t;
      console.log(label.padEnd(16), (dt * 1e6 / N).toFixed(1), 'ns/record', 'p95', h.getValueAtPercentile(95));
      h.destroy();
    }
  }
}
void main();
