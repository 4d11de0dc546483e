// Single-thread timings for `BuildImages.Benchmarks --photo-decode`: sharp decoding a 4K JPEG at 1/4 scale, and its whole
// ai-scene pipeline (768 px JPEG q85), over the first 30 photos of DIR. node sharp-decode.mjs DIR, with NODE_PATH at sharp.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(process.env.NODE_PATH + '/');
const sharp = require('sharp');
sharp.concurrency(1);
sharp.cache(false);
const dir = process.argv[2];
const files = (await readdir(dir)).filter(f => f.endsWith('.jpg')).sort().slice(0, 30);
const bufs = await Promise.all(files.map(f => readFile(path.join(dir, f))));
console.log(`sharp ${sharp.versions.sharp ?? '?'}, libvips ${sharp.versions.vips}`);
for (let round = 0; round < 5; round++) {
  let t = performance.now();
  for (const b of bufs) await sharp(b).resize({ width: 960 }).raw().toBuffer();
  const decode = (performance.now() - t) / bufs.length;
  t = performance.now();
  for (const b of bufs) await sharp(b).resize({ width: 768, height: 768, fit: 'inside' }).jpeg({ quality: 85, optimiseCoding: true }).toBuffer();
  const whole = (performance.now() - t) / bufs.length;
  console.log(`decode at 1/4 (960 px) ${decode.toFixed(1)} ms; whole ai-scene ${whole.toFixed(1)} ms`);
}
