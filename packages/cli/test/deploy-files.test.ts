/**
 * Parses every file of deploy/ and checks it against what exists: the commands the containers run
 * are commands of the CLI, and every metric a dashboard, alert or autoscaler reads is one the
 * engine exports.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { METRIC_NAMES, WORKFLOW_METRIC } from '@workflow-mastery/observability';
import { COMMANDS } from '../src/commands/index.js';
import { json, runCli } from './support/cli-process.js';
import { baseMetric, metricNames } from './support/promql-metrics.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const deploy = path.join(root, 'deploy');
const read = (file: string) => readFileSync(path.join(deploy, file), 'utf8');

/** The metrics the engine exports, as @workflow-mastery/observability registers them. */
const EXPORTED_METRICS = METRIC_NAMES;
const HISTOGRAMS = [WORKFLOW_METRIC.stepDuration, WORKFLOW_METRIC.duration];

const cliCommands = new Set(COMMANDS.map((c) => c.name));

function expectKnownMetrics(expr: string, where: string): string[] {
  const names = metricNames(expr).map((n) => baseMetric(n, HISTOGRAMS));
  expect({ where, expr, names: names.filter((n) => !(EXPORTED_METRICS as readonly string[]).includes(n)) }).toEqual({ where, expr, names: [] });
  expect({ where, count: names.length }).not.toEqual({ where, count: 0 });
  return names;
}

/** Instructions of a Dockerfile, continuation lines joined, comments dropped. */
function dockerInstructions(text: string): Array<{ op: string; args: string }> {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

describe('the PromQL metric extractor', () => {
  it('finds metric names and ignores functions, labels, keywords and ranges', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (le, step) (rate(workflow_step_duration_seconds_bucket{job="x"}[5m]))) > 3600')).toEqual(['workflow_step_duration_seconds_bucket']);
    expect(metricNames('a_total > 0 unless sum by (workflow) (increase(b_total[1h])) > 0')).toEqual(['a_total', 'b_total']);
    expect(metricNames('workflow_duration_seconds > 3600')).toEqual(['workflow_duration_seconds']);
    expect(metricNames('max by (workflow) (workflow_oldest_active_seconds) > 3600')).toEqual(['workflow_oldest_active_seconds']);
  });
});

describe('deploy/ Dockerfiles', () => {
  for (const [file, command] of [
    ['Dockerfile.api', 'serve'],
    ['Dockerfile.worker', 'worker'],
  ] as const) {
    it(`${file}: multi-stage on node:20-slim, npm ci, build, non-root, runs \`workflow-mastery ${command}\``, () => {
      const steps = dockerInstructions(read(file));
      const known = new Set(['FROM', 'RUN', 'COPY', 'WORKDIR', 'ENV', 'USER', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'ARG', 'LABEL']);
      expect(steps.filter((s) => !known.has(s.op))).toEqual([]);
      const froms = steps.filter((s) => s.op === 'FROM');
      expect(froms.length).toBeGreaterThanOrEqual(2);
      for (const from of froms) expect(from.args).toMatch(/^node:20-slim AS \w+$/);
      expect(steps[0]!.op).toBe('FROM');
      const runs = steps.filter((s) => s.op === 'RUN').map((s) => s.args);
      expect(runs).toContain('npm ci');
      expect(runs.some((r) => /npm run build|tsc -b/.test(r))).toBe(true);
      // Every COPY source from the build context exists in the repository.
      for (const copy of steps.filter((s) => s.op === 'COPY' && !s.args.includes('--from'))) {
        const sources = copy.args.split(/\s+/).slice(0, -1);
        for (const source of sources) expect({ source, exists: existsSync(path.join(root, source)) }).toEqual({ source, exists: true });
      }
      const users = steps.filter((s) => s.op === 'USER');
      expect(users.at(-1)?.args).toBe('node');
      const lastFrom = steps.lastIndexOf(froms.at(-1)!);
      expect(steps.findIndex((s) => s.op === 'USER')).toBeGreaterThan(lastFrom);
      const entrypoint = JSON.parse(steps.find((s) => s.op === 'ENTRYPOINT')!.args) as string[];
      expect(entrypoint).toEqual(['node', '/app/packages/cli/dist/bin.js']);
      const cmd = JSON.parse(steps.find((s) => s.op === 'CMD')!.args) as string[];
      expect(cmd[0]).toBe(command);
      expect(cliCommands.has(cmd[0]!)).toBe(true);
    });
  }
});

describe('deploy/docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, Record<string, unknown>> };

  it('has PostgreSQL, Redis, the API and three workers, with health checks', () => {
    const { services } = compose;
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'api', 'worker']));
    expect(services.postgres!.image).toMatch(/^postgres:/);
    expect(services.redis!.image).toMatch(/^redis:/);
    expect((services.worker!.deploy as { replicas: number }).replicas).toBe(3);
    for (const name of ['postgres', 'redis', 'api']) expect(services[name]!.healthcheck).toBeDefined();
  });

  it('builds from the Dockerfiles here and runs CLI commands', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const build = service.build as { context: string; dockerfile: string } | undefined;
      if (build) expect(existsSync(path.resolve(deploy, build.context, build.dockerfile))).toBe(true);
      const command = service.command as string[] | undefined;
      if (build && command) expect({ name, command: command[0] }).toEqual({ name, command: expect.stringMatching(new RegExp(`^(${[...cliCommands].join('|')})$`)) });
    }
    expect((compose.services.api!.command as string[])[0]).toBe('serve');
    expect((compose.services.worker!.command as string[])[0]).toBe('worker');
  });

  it('mounts a workflows module (deploy/workflows/index.js) that the CLI loads and runs', async () => {
    const module = path.join(deploy, 'workflows', 'index.js');
    expect(existsSync(module)).toBe(true);
    const order = { id: 'D-1', customer: { email: 'a@example.com' }, items: [{ sku: 'KB-01', qty: 1, price: 89.9 }], total: 89.9 };
    const result = await runCli(['run', 'order_processing', '--module', module, '--database', 'memory:', '--json', '--data', JSON.stringify({ order })]);
    expect(result.code).toBe(0);
    expect(json<{ state: string }>(result).state).toBe('COMPLETED');
  }, 60_000);
});

describe('deploy/k8s', () => {
  type Doc = { apiVersion: string; kind: string; metadata: { name: string }; spec?: Record<string, any> };
  const docs: Doc[] = readdirSync(path.join(deploy, 'k8s'))
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) =>
      parseAllDocuments(read(`k8s/${f}`)).map((d) => {
        expect({ file: f, errors: d.errors.map((e) => e.message) }).toEqual({ file: f, errors: [] });
        return d.toJS() as Doc;
      }),
    );
  const byKind = (kind: string) => docs.filter((d) => d.kind === kind);

  it('has the API Deployment and Service, the worker Deployment, the HPA, a ConfigMap and a Secret', () => {
    expect(byKind('Deployment').map((d) => d.metadata.name).sort()).toEqual(['workflow-engine', 'workflow-worker']);
    expect(byKind('Service')).toHaveLength(1);
    expect(byKind('HorizontalPodAutoscaler')).toHaveLength(1);
    expect(byKind('ConfigMap')).toHaveLength(1);
    expect(byKind('Secret')).toHaveLength(1);
    for (const d of docs) expect(d.apiVersion).toMatch(/^(v1|apps\/v1|autoscaling\/v2)$/);
  });

  it('probes /api/health and /api/ready, runs CLI commands, and reads its settings from the ConfigMap and Secret', () => {
    const configMap = byKind('ConfigMap')[0]!.metadata.name;
    const secret = byKind('Secret')[0]!.metadata.name;
    for (const deployment of byKind('Deployment')) {
      const pod = deployment.spec!.template.spec;
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect(cliCommands.has(container.args[0])).toBe(true);
        const refs = (container.envFrom as Array<Record<string, { name: string }>>).map((e) => (e.configMapRef ?? e.secretRef)!.name);
        expect(refs.sort()).toEqual([configMap, secret].sort());
      }
      expect(deployment.spec!.selector.matchLabels.app).toBe(deployment.spec!.template.metadata.labels.app);
    }
    const api = byKind('Deployment').find((d) => d.metadata.name === 'workflow-engine')!.spec!.template.spec.containers[0];
    expect(api.args[0]).toBe('serve');
    expect(api.livenessProbe.httpGet.path).toBe('/api/health');
    expect(api.readinessProbe.httpGet.path).toBe('/api/ready');
    const service = byKind('Service')[0]!;
    expect(service.spec!.selector).toEqual({ app: 'workflow-engine' });
    const secretDoc = byKind('Secret')[0] as Doc & { stringData: Record<string, string> };
    expect(Object.keys(secretDoc.stringData)).toEqual(expect.arrayContaining(['WORKFLOW_DATABASE_URL', 'WORKFLOW_API_TOKEN']));
  });

  it('scales the workers on workflow_queue_depth, an exported metric', () => {
    const hpa = byKind('HorizontalPodAutoscaler')[0]!;
    expect(hpa.spec!.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'workflow-worker' });
    const metrics = hpa.spec!.metrics as Array<{ type: string; external?: { metric: { name: string } }; pods?: { metric: { name: string } } }>;
    const names = metrics.map((m) => (m.external ?? m.pods)!.metric.name);
    expect(names).toEqual(['workflow_queue_depth']);
    for (const n of names) expect(EXPORTED_METRICS as readonly string[]).toContain(n);
  });
});

describe('deploy/grafana/workflow-mastery.json', () => {
  const dashboard = JSON.parse(read('grafana/workflow-mastery.json')) as { title: string; panels: Array<{ title: string; targets: Array<{ expr: string }> }> };

  it("has the seed's panels", () => {
    const titles = dashboard.panels.map((p) => p.title);
    for (const seed of ['Active Workflows', 'Workflow Completion Rate', 'Average Step Duration', 'Error Rate by Workflow', 'Queue Depth']) {
      expect(titles.some((t) => t.includes(seed))).toBe(true);
    }
  });

  it('queries only metrics the engine exports', () => {
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets) for (const n of expectKnownMetrics(target.expr, panel.title)) used.add(n);
    }
    expect([...used].sort()).toEqual([...EXPORTED_METRICS].sort());
  });
});

describe('deploy/prometheus', () => {
  it("alerts.yml has the seed's rules, on exported metrics only", () => {
    const rules = parse(read('prometheus/alerts.yml')) as { groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for?: string; labels: { severity: string }; annotations: { summary: string } }> }> };
    const all = rules.groups.flatMap((g) => g.rules);
    expect(all.map((r) => r.alert)).toEqual(expect.arrayContaining(['HighWorkflowErrorRate', 'WorkflowQueueBacklog', 'LongRunningWorkflow']));
    for (const rule of all) {
      expectKnownMetrics(rule.expr, rule.alert);
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
    }
  });

  it('prometheus.yml scrapes the API and the workers and loads the alert rules', () => {
    const config = parse(read('prometheus/prometheus.yml')) as { rule_files: string[]; scrape_configs: Array<{ job_name: string; metrics_path?: string }> };
    expect(config.rule_files.some((f) => f.endsWith('alerts.yml'))).toBe(true);
    const jobs = config.scrape_configs.map((c) => c.job_name);
    expect(jobs).toEqual(expect.arrayContaining(['workflow-api', 'workflow-worker']));
    expect(config.scrape_configs.find((c) => c.job_name === 'workflow-api')!.metrics_path).toBe('/api/metrics');
  });
});
