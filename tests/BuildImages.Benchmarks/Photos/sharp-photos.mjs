// The same work as `dotnet build-images optimize IN OUT --preset NAME`, with sharp (same libvips underneath):
// node sharp-photos.mjs IN OUT web|ai-scene CONCURRENCY. Run with NODE_PATH pointing at a node_modules holding sharp.
import { readdir, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(process.env.NODE_PATH + '/');
const sharp = require('sharp');
const [input, output, preset, concurrency = '2'] = process.argv.slice(2);
sharp.concurrency(1);
sharp.cache(false);
const web = [];
for (const [format, quality] of [['avif', 55], ['webp', 78], ['jpeg', 80]]) {
  for (const width of [480, 960, 1600]) web.push({ format, width, quality });
}
const variants = preset === 'web' ? web : [{ format: 'jpeg', maxSide: 768, quality: 85 }];
const ext = { avif: 'avif', webp: 'webp', jpeg: 'jpg' };
const files = (await readdir(input)).filter(f => f.endsWith('.jpg')).sort();
await mkdir(output, { recursive: true });
let next = 0;
async function worker() {
  while (next < files.length) {
    const file = files[next++];
    const stem = file.slice(0, -4);
    for (const v of variants) {
      // Our settings: WebP effort 2, JPEG optimised Huffman tables, AVIF effort 1, metadata stripped (sharp's default).
      let pipeline = sharp(path.join(input, file), { failOn: 'error' }).rotate();
      pipeline = v.width
        ? pipeline.resize({ width: v.width, withoutEnlargement: true })
        : pipeline.resize({ width: v.maxSide, height: v.maxSide, fit: 'inside', withoutEnlargement: true });
      pipeline = v.format === 'avif' ? pipeline.avif({ quality: v.quality, effort: 1 })
        : v.format === 'webp' ? pipeline.webp({ quality: v.quality, effort: 2 })
        : pipeline.jpeg({ quality: v.quality, optimiseCoding: true });
      const name = v.width ? `${stem}-${v.width}.${ext[v.format]}` : `${stem}.${ext[v.format]}`;
      await pipeline.toFile(path.join(output, name));
    }
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
