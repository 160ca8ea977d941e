// npm run dockerfiles:gen [-- --check] — renders services/<name>/Dockerfile from the one template;
// with --check, fails when a committed Dockerfile differs from what the template renders.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDockerfile, serviceImages } from '../dockerfiles/render-dockerfile.ts';
import { repoRoot } from '../paths.ts';

const check = process.argv.includes('--check');
let stale = 0;
for (const svc of serviceImages) {
  const path = join(repoRoot, 'services', svc.name, 'Dockerfile');
  const want = renderDockerfile(svc);
  if (check) {
    if (readFileSync(path, 'utf8') !== want) {
      stale += 1;
      process.stderr.write(`${path} is stale: run 'npm run dockerfiles:gen'\n`);
    }
  } else writeFileSync(path, want);
}
process.exit(stale === 0 ? 0 : 1);
