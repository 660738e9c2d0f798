// Proves the deployment files hold together without a Docker engine or a cluster (there is neither here):
// the Dockerfile is linted (multi-stage, production dependencies only, a non-root user, every file it copies
// there and built, every service's entry point in the image, no secret in ENV or ARG) and its entrypoint turns
// secret files into variables; compose.yaml and haproxy.cfg are parsed and every service's settings and
// secrets are read by that service's own configuration code, which must accept them and read every one of
// them; the Kubernetes manifests are what `npm run deploy:k8s` prints, pass the Kubernetes schemas offline
// (kubernetes-models), and wire probes, Services, budgets, autoscalers, the Secret and the settings the same
// way; and `main.js --migrate`, the migration step both deployments run, migrates a database and exits.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DockerfileParser, type Copy, type Instruction } from 'dockerfile-ast';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import mysql from 'mysql2/promise';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigError } from '@wanxin/platform';
import { servicesUnderTest } from '@wanxin/platform/testing';
import {
  DEPLOYED_SERVICES,
  deploymentFiles,
  KEYS_SECRET_NAME,
  PLATFORM_CONFIG_MAP_NAME,
  readDeployedServiceConfig,
  SUPERGRAPH_CONFIG_MAP_NAME,
  type DeployedService,
} from '@wanxin/launcher';
import { REPOSITORY_ROOT } from './harness/processes';

const run = promisify(execFile);
const DEPLOY_DIRECTORY = path.join(REPOSITORY_ROOT, 'infra', 'deploy');
const WANXIN_IMAGE = 'wanxin:latest';
const SECRET_WORDS = /KEY|SECRET|PASSWORD|TOKEN|PASS\b/;

/** Every secret as make-secrets.sh writes it (fresh keys in a scratch directory), by file name. */
async function madeSecrets(): Promise<Map<string, string>> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-secrets-'));
  try {
    await run('sh', [path.join(DEPLOY_DIRECTORY, 'make-secrets.sh'), directory]);
    return new Map(
      fs.readdirSync(directory).map((file) => [file, fs.readFileSync(path.join(directory, file), 'utf8')]),
    );
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
const secretsMade = madeSecrets();

/** Reads `name`'s configuration from `env` as its main.js would: what it refused, and every variable it read. */
function readAsTheService(name: string, env: Record<string, string>) {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get: (target, key) => {
      if (typeof key === 'string') read.add(key);
      return target[key as string];
    },
  });
  try {
    readDeployedServiceConfig(name, recording);
    return { problems: [] as readonly string[], read };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { problems: error.problems, read };
  }
}

/** The settings are accepted as a whole, and none is a name the service never reads. */
function assertReadByTheService(where: string, service: DeployedService, env: Record<string, string>): void {
  const { problems, read } = readAsTheService(service.name, env);
  assert.deepEqual(problems, [], `${where}: ${service.name} refuses its settings`);
  const unread = Object.keys(env).filter((name) => !read.has(name));
  assert.deepEqual(unread, [], `${where}: ${service.name} never reads these`);
}

function serviceByMain(main: string): DeployedService {
  const service = DEPLOYED_SERVICES.find((candidate) => candidate.main === main);
  assert.ok(service, `${main} is no service's entry point`);
  return service;
}

function assertBuilt(main: string): void {
  assert.ok(fs.existsSync(path.join(REPOSITORY_ROOT, main)), `${main} exists after the build`);
}

describe('the Dockerfile', () => {
  const text = fs.readFileSync(path.join(REPOSITORY_ROOT, 'Dockerfile'), 'utf8');
  const instructions = DockerfileParser.parse(text).getInstructions();
  const stages: Instruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  const [build, runtime] = [stages[0], stages.at(-1)!];
  const runs = (stage: Instruction[]) =>
    stage
      .filter((instruction) => instruction.getKeyword() === 'RUN')
      .map((instruction) => instruction.getArgumentsContent() ?? '');
  const copies = (stage: Instruction[]) =>
    stage
      .filter((instruction) => instruction.getKeyword() === 'COPY')
      .map((instruction) => {
        // Flags (--from=build) are not among the arguments.
        const paths = instruction.getArguments().map((argument) => argument.getValue());
        const from = (instruction as Copy).getFromFlag()?.getValue() ?? undefined;
        // Sources of another stage are absolute under its WORKDIR, /app; the repository's are relative.
        const sources = paths.slice(0, -1).map((source) => source.replace(/^\/app\//, ''));
        return { from, sources, destination: paths.at(-1)! };
      });
  const workspaces: string[] = JSON.parse(
    fs.readFileSync(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8'),
  ).workspaces;

  test('builds in one stage and runs a slim one: npm ci and turbo there, npm ci --omit=dev here', () => {
    assert.ok(stages.length >= 2, 'multi-stage');
    const base = text.match(/^ARG NODE_IMAGE=(\S+)$/m)?.[1];
    assert.match(base ?? '', /^node:20[\w.-]*-slim$/, 'the base is a slim Node 20');
    assert.ok(runs(build).some((command) => /^npm ci\b/.test(command) && !command.includes('--omit')));
    assert.ok(runs(build).some((command) => command.includes('turbo run build')));
    assert.ok(
      runs(runtime).some((command) => /^npm ci --omit=dev\b/.test(command)),
      'production dependencies only',
    );
  });

  test('runs as an unprivileged user, with no secret baked into ENV or ARG', () => {
    const users = runtime.filter((instruction) => instruction.getKeyword() === 'USER');
    assert.equal(users.length, 1);
    assert.ok(!['root', '0', '0:0'].includes(users[0].getArgumentsContent() ?? ''), 'not root');
    for (const instruction of instructions.filter((each) => ['ENV', 'ARG'].includes(each.getKeyword()))) {
      assert.doesNotMatch(instruction.getArgumentsContent() ?? '', SECRET_WORDS, instruction.getTextContent());
    }
  });

  test('every file it copies from the repository exists and is not excluded by .dockerignore', () => {
    const ignored = fs
      .readFileSync(path.join(REPOSITORY_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    for (const required of ['.git', '**/node_modules', '**/dist', 'infra/deploy/secrets']) {
      assert.ok(ignored.includes(required), `.dockerignore keeps ${required} out of the build`);
    }
    const patterns = ignored.map(
      (line) =>
        new RegExp(
          `^${line
            .replace(/\./g, '\\.')
            .replace(/\*\*\//g, '(.*/)?')
            .replace(/\*(?!\))/g, '[^/]*')}(/|$)`,
        ),
    );
    for (const { from, sources } of [...copies(build), ...copies(runtime)]) {
      if (from !== undefined) continue;
      for (const source of sources.filter((each) => each !== '.')) {
        assert.ok(fs.existsSync(path.join(REPOSITORY_ROOT, source)), `${source} exists`);
        assert.ok(!patterns.some((pattern) => pattern.test(source)), `${source} is not in .dockerignore`);
      }
    }
  });

  test("every workspace's manifest reaches both npm ci's, and every service's compiled code the runtime", () => {
    for (const stage of [build, runtime]) {
      const copied = copies(stage).flatMap(({ sources }) => sources);
      for (const workspace of workspaces) assert.ok(copied.includes(`${workspace}/package.json`), workspace);
    }
    const runtimeSources = copies(runtime)
      .filter(({ from }) => from === 'build')
      .flatMap(({ sources }) => sources);
    for (const source of runtimeSources)
      assert.ok(fs.existsSync(path.join(REPOSITORY_ROOT, source)), `${source} is built`);
    for (const service of DEPLOYED_SERVICES) {
      assertBuilt(service.main);
      for (const directory of packageClosureOf(service.main.replace(/\/dist\/.*$/, ''))) {
        assert.ok(runtimeSources.includes(`${directory}/dist`), `${service.name} needs ${directory}/dist in the image`);
      }
    }
    assert.ok(runtimeSources.includes('schema/supergraph.graphql') && runtimeSources.includes('gateway/static'));
    const command = runtime.find((instruction) => instruction.getKeyword() === 'CMD')?.getArgumentsContent() ?? '';
    serviceByMain(JSON.parse(command)[1]);
  });

  test('its entrypoint turns secret files into the variables of their names, never overriding one set', async () => {
    const secrets = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-run-secrets-'));
    fs.writeFileSync(
      path.join(secrets, 'JWT_PUBLIC_KEY'),
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
    );
    fs.writeFileSync(path.join(secrets, 'METRICS_TOKEN'), 'from-the-file');
    fs.writeFileSync(path.join(secrets, 'rabbitmq.conf'), 'not a variable');
    const entrypoint = path.join(DEPLOY_DIRECTORY, 'docker-entrypoint.sh');
    const print = 'console.log(JSON.stringify([process.env.JWT_PUBLIC_KEY, process.env.METRICS_TOKEN]))';
    const { stdout } = await run('sh', [entrypoint, process.execPath, '-e', print], {
      env: { PATH: process.env.PATH, WANXIN_SECRETS_DIR: secrets, METRICS_TOKEN: 'set-already' },
    });
    fs.rmSync(secrets, { recursive: true, force: true });
    assert.deepEqual(JSON.parse(stdout), ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'set-already']);
  });
});

/** The package directories `directory`'s package needs at run time: itself and its @wanxin dependencies, transitively. */
function packageClosureOf(directory: string): Set<string> {
  const byName = new Map<string, string>();
  const workspaces: string[] = JSON.parse(
    fs.readFileSync(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8'),
  ).workspaces;
  for (const workspace of workspaces) {
    byName.set(
      JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, workspace, 'package.json'), 'utf8')).name,
      workspace,
    );
  }
  const closure = new Set<string>();
  const pending = [directory];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (closure.has(next)) continue;
    closure.add(next);
    const manifest = JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, next, 'package.json'), 'utf8'));
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      const workspace = byName.get(dependency);
      if (workspace !== undefined) pending.push(workspace);
    }
  }
  return closure;
}

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  secrets?: (string | { source: string; target?: string })[];
  depends_on?: string[] | Record<string, { condition: string }>;
  ports?: string[];
  deploy?: { replicas?: number };
  volumes?: ({ type: string; source: string; target: string } | string)[];
}

describe('compose.yaml', () => {
  const compose = parse(fs.readFileSync(path.join(DEPLOY_DIRECTORY, 'compose.yaml'), 'utf8'), { merge: true });
  const services: Record<string, ComposeService> = compose.services;
  const wanxin = Object.entries(services).filter(([, service]) => service.image === WANXIN_IMAGE);

  test('the whole shape: engines, migrations, two of every platform service, HAProxy, one of each simulator', () => {
    for (const name of ['mariadb', 'rabbitmq', 'haproxy']) assert.ok(services[name], name);
    for (const deployed of DEPLOYED_SERVICES) {
      const service = services[deployed.name];
      assert.ok(service, deployed.name);
      assert.deepEqual(service.command, ['node', deployed.main]);
      assert.equal(service.deploy?.replicas ?? 1, deployed.kind === 'platform' ? 2 : 1, deployed.name);
      if (deployed.migrates) {
        assert.deepEqual(services[`migrate-${deployed.name}`]?.command, ['node', deployed.main, '--migrate']);
        const dependsOn = service.depends_on as Record<string, { condition: string }>;
        assert.equal(dependsOn[`migrate-${deployed.name}`]?.condition, 'service_completed_successfully');
      }
    }
  });

  test("every Wanxin service's settings and secrets are read, and accepted, by its own configuration code", async () => {
    const secrets = await secretsMade;
    for (const [name, service] of wanxin) {
      assert.equal(service.command?.[0], 'node', name);
      assertBuilt(service.command![1]);
      const env: Record<string, string> = { ...service.environment };
      for (const secret of service.secrets ?? []) {
        const source = typeof secret === 'string' ? secret : secret.source;
        const target = typeof secret === 'string' ? secret : (secret.target ?? secret.source);
        assert.ok(secrets.has(source), `make-secrets.sh writes ${source}`);
        env[target] = secrets.get(source)!;
      }
      assertReadByTheService(`compose ${name}`, serviceByMain(service.command![1]), env);
    }
  });

  test('depends_on names services, secrets are declared and written, mounts exist, published ports are distinct', async () => {
    const secrets = await secretsMade;
    const published: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      const dependsOn = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const target of dependsOn) assert.ok(services[target], `${name} depends on ${target}, which exists`);
      for (const secret of service.secrets ?? []) {
        const source = typeof secret === 'string' ? secret : secret.source;
        assert.equal(compose.secrets[source]?.file, `./secrets/${source}`, `${name}: ${source} is declared`);
        assert.ok(secrets.has(source), `make-secrets.sh writes ${source}`);
      }
      for (const volume of service.volumes ?? []) {
        if (typeof volume !== 'string' && volume.type === 'bind') {
          assert.ok(fs.existsSync(path.join(DEPLOY_DIRECTORY, volume.source)), `${name} mounts ${volume.source}`);
        }
      }
      published.push(...(service.ports ?? []).map((port) => port.split(':').at(-2)!));
    }
    assert.equal(new Set(published).size, published.length, `published ports ${published.join(', ')} do not clash`);
    const gateway = services.gateway;
    const mount = gateway.volumes?.find((volume) => typeof volume !== 'string')!;
    assert.ok(typeof mount !== 'string');
    const supergraph = path.join(mount.source, path.relative(mount.target, gateway.environment!.SUPERGRAPH_PATH));
    assert.ok(fs.existsSync(path.join(DEPLOY_DIRECTORY, supergraph)), 'the gateways follow the committed supergraph');
  });

  test("haproxy.cfg: a checked backend for every replicated service, on that service's port, and valid", async () => {
    const config = fs.readFileSync(path.join(DEPLOY_DIRECTORY, 'haproxy.cfg'), 'utf8');
    const sections = new Map<string, string[]>();
    let current = '';
    for (const line of config.split('\n').filter((each) => each.trim() !== '' && !each.trim().startsWith('#'))) {
      if (!line.startsWith(' ')) sections.set((current = line.trim()), []);
      else sections.get(current)!.push(line.trim());
    }
    const defaults = sections.get('defaults')!;
    assert.ok(
      defaults.includes('option httpchk GET /readyz') && defaults.some((line) => /^default-server check\b/.test(line)),
    );
    const binds = [...sections].filter(([name]) => name.startsWith('frontend ')).flatMap(([, lines]) => lines);
    const boundPorts = binds.filter((line) => line.startsWith('bind ')).map((line) => line.split(':').at(-1)!);
    assert.equal(new Set(boundPorts).size, boundPorts.length, 'frontends do not clash');
    for (const deployed of DEPLOYED_SERVICES.filter((each) => each.kind === 'platform')) {
      const lines = sections.get(`backend ${deployed.name}`) ?? [];
      const template = lines.find((line) => line.startsWith('server-template '))?.split(/\s+/);
      assert.deepEqual(template?.slice(2), ['2', `${deployed.name}:${services[deployed.name].environment!.PORT}`]);
    }
    // Every URL pointing at HAProxy names a port one of its frontends binds.
    for (const [, service] of wanxin) {
      for (const value of Object.values(service.environment ?? {})) {
        const port = value.match(/^http:\/\/haproxy:(\d+)/)?.[1];
        if (port !== undefined) assert.ok(boundPorts.includes(port), `HAProxy binds ${port}`);
      }
    }
    const haproxy = await run('haproxy', ['-v']).then(
      () => true,
      () => false,
    );
    if (haproxy) await run('haproxy', ['-c', '-f', path.join(DEPLOY_DIRECTORY, 'haproxy.cfg')]);
  });
});

const KUBERNETES_MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/Secret': Secret,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

describe('the Kubernetes manifests', () => {
  const files = deploymentFiles();
  const manifests = [...files]
    .filter(([file]) => file.startsWith('k8s/'))
    .flatMap(([, text]) => parseAllDocuments(text).map((document) => document.toJS()));
  const ofKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
  const kustomization = parse(files.get('kustomization.yaml')!);

  test('the committed files are what `npm run deploy:k8s` prints, and the kustomization lists every one', () => {
    for (const [file, text] of files) {
      assert.equal(fs.readFileSync(path.join(DEPLOY_DIRECTORY, file), 'utf8'), text, `${file}: run npm run deploy:k8s`);
    }
    const committed = fs.readdirSync(path.join(DEPLOY_DIRECTORY, 'k8s')).map((file) => `k8s/${file}`);
    assert.deepEqual(committed.sort(), [...kustomization.resources].sort());
  });

  test('every object passes the Kubernetes schema of its kind, the generated Secret included', async () => {
    const secrets = await secretsMade;
    const [generator] = kustomization.secretGenerator;
    const data = Object.fromEntries(
      generator.files.map((file: string) => {
        const key = path.basename(file);
        assert.ok(secrets.has(key), `make-secrets.sh writes ${key}`);
        return [key, Buffer.from(secrets.get(key)!).toString('base64')];
      }),
    );
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: generator.name }, type: 'Opaque', data };
    for (const manifest of [...manifests, secret]) {
      const model = KUBERNETES_MODELS[`${manifest.apiVersion}/${manifest.kind}`];
      assert.ok(model, `${manifest.apiVersion} ${manifest.kind} is a kind this test knows`);
      assert.doesNotThrow(() => new model(manifest).validate(), `${manifest.kind} ${manifest.metadata.name}`);
    }
  });

  test('the schema check catches a broken manifest', () => {
    const [deployment] = ofKind('Deployment');
    const broken = structuredClone(deployment);
    delete broken.spec.selector;
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    assert.throws(() => new Deployment(broken).validate(), /selector|containerPort/);
  });

  test('each Deployment: ready on /readyz, alive on /healthz, non-root, selected by its Service, budgeted and scaled', () => {
    for (const deployed of DEPLOYED_SERVICES) {
      const deployment = ofKind('Deployment').find((each) => each.metadata.name === deployed.name);
      assert.ok(deployment, deployed.name);
      const labels = deployment.spec.template.metadata.labels;
      assert.deepEqual(deployment.spec.selector.matchLabels, labels);
      const [container] = deployment.spec.template.spec.containers;
      assert.deepEqual(container.command, ['node', deployed.main]);
      assertBuilt(deployed.main);
      assert.deepEqual(container.ports, [{ name: 'http', containerPort: deployed.port }]);
      assert.deepEqual(container.readinessProbe.httpGet, { path: '/readyz', port: 'http' });
      assert.deepEqual(container.livenessProbe.httpGet, { path: '/healthz', port: 'http' });
      assert.equal(container.securityContext.runAsNonRoot, true);
      const service = ofKind('Service').find((each) => each.metadata.name === deployed.name);
      assert.deepEqual(service?.spec.selector, labels);
      assert.deepEqual(service?.spec.ports, [{ name: 'http', port: deployed.port, targetPort: 'http' }]);
      if (deployed.kind !== 'platform') continue;
      assert.equal(deployment.spec.replicas, 2);
      const budget = ofKind('PodDisruptionBudget').find((each) => each.metadata.name === deployed.name);
      assert.deepEqual(budget?.spec.selector.matchLabels, labels);
      const autoscaler = ofKind('HorizontalPodAutoscaler').find((each) => each.metadata.name === deployed.name);
      assert.deepEqual(autoscaler?.spec.scaleTargetRef, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: deployed.name,
      });
    }
    const gateway = ofKind('Deployment').find((each) => each.metadata.name === 'gateway');
    const volumes = gateway.spec.template.spec.volumes;
    assert.ok(volumes.some((volume: any) => volume.configMap?.name === SUPERGRAPH_CONFIG_MAP_NAME));
  });

  test("every container's settings and keys are read, and accepted, by its service's configuration code", async () => {
    const secrets = await secretsMade;
    const [configMap] = ofKind('ConfigMap').filter((each) => each.metadata.name === PLATFORM_CONFIG_MAP_NAME);
    const generated = new Set(kustomization.secretGenerator[0].files.map((file: string) => path.basename(file)));
    const containers = [...ofKind('Deployment'), ...ofKind('Job')].flatMap(
      (each) => each.spec.template.spec.containers,
    );
    assert.equal(ofKind('Job')[0].spec.template.spec.containers.length, 5, 'the Job migrates every subgraph');
    for (const container of containers) {
      const env: Record<string, string> = {};
      for (const source of container.envFrom) {
        assert.equal(source.configMapRef.name, PLATFORM_CONFIG_MAP_NAME);
        Object.assign(env, configMap.data);
      }
      for (const variable of container.env) {
        const reference = variable.valueFrom?.secretKeyRef;
        if (reference === undefined) env[variable.name] = variable.value;
        else {
          assert.equal(reference.name, KEYS_SECRET_NAME);
          assert.ok(generated.has(reference.key), `the Secret holds ${reference.key}`);
          env[variable.name] = secrets.get(reference.key)!;
        }
      }
      assertReadByTheService(`k8s ${container.name}`, serviceByMain(container.command[1]), env);
    }
  });
});

describe('main.js --migrate, the migration step of both deployments', () => {
  const skip = servicesUnderTest(['MariaDB']);

  test('migrates the subgraph database and exits without serving', { skip }, async () => {
    const prefix = `wanxin_deploy${process.pid}`;
    const main = path.join(REPOSITORY_ROOT, 'subgraphs', 'loans', 'dist', 'src', 'main.js');
    const env = { ...process.env, DATABASE_NAME_PREFIX: prefix, PORT: '0', LOG_LEVEL: 'warn', AMQP_URL: '' };
    // A process that served instead of exiting would be killed here and fail the test.
    await run(process.execPath, [main, '--migrate'], { env, timeout: 120_000 });
    const connection = await mysql.createConnection(process.env.DATABASE_URL!);
    try {
      const [rows] = await connection.query(`SELECT COUNT(*) AS applied FROM \`${prefix}_loans\`.mikro_orm_migrations`);
      assert.ok(Number((rows as { applied: number }[])[0].applied) > 0, 'the migrations are recorded');
    } finally {
      await connection.query(`DROP DATABASE IF EXISTS \`${prefix}_loans\``);
      await connection.end();
    }
  });
});
