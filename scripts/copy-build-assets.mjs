// Copies what the compiled modules read next to themselves at run time (the stateful mocks' seed
// files, found through `new URL('./seed.yaml', import.meta.url)`) into dist/, beside the JavaScript,
// and records which spec each contract bundled into dist/contracts/ came from.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
let copied = 0;
for (const api of fs.readdirSync(path.join(root, 'mocks'), { withFileTypes: true })) {
  if (!api.isDirectory()) continue;
  for (const file of fs.readdirSync(path.join(root, 'mocks', api.name))) {
    if (!/\.(ya?ml|json)$/.test(file)) continue;
    const to = path.join(root, 'dist', 'mocks', api.name, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(root, 'mocks', api.name, file), to);
    copied++;
  }
}

// Which spec each bundled contract in dist/contracts/ was made from (relative to that folder), so the
// compiled loader uses a bundle only for the package's own spec of that name.
const bundles = path.join(root, 'dist', 'contracts');
const manifest = {};
for (const file of fs.existsSync(bundles) ? fs.readdirSync(bundles) : []) {
  const api = file.endsWith('.openapi.json') ? file.slice(0, -'.openapi.json'.length) : undefined;
  const spec = api && path.join(root, 'specs', api, 'openapi.yaml');
  if (spec && fs.existsSync(spec)) manifest[api] = path.relative(bundles, spec);
}
fs.writeFileSync(path.join(bundles, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`copied ${copied} data files of the mocks into dist/; ${Object.keys(manifest).length} bundled contracts`);
