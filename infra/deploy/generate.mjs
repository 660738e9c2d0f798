// `npm run deploy:k8s`: prints the Kubernetes manifests (k8s/*.yaml) and the kustomization beside this file
// from the deployment table in infra/launcher/src/deployment.ts. test/src/deploy.test.ts fails when the
// committed files differ from what this prints.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import launcher from '@wanxin/launcher';

const directory = path.dirname(fileURLToPath(import.meta.url));
const files = launcher.deploymentFiles();
for (const [file, text] of files) {
  fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
  fs.writeFileSync(path.join(directory, file), text);
}
console.log(`wrote ${[...files.keys()].join(', ')}`);
