// The peers of bench/peers, doing the same 3-step no-op workflow. Each `open()` resolves to
// `{ runOne, close }`: `runOne()` starts one workflow and resolves when it completed. The peer
// packages are imported here only (installed in bench/peers/node_modules by bench/peers/run.js).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { openBareChain } from '../bullmq-bare.js';

const PG_URL = process.env.WM_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const require = createRequire(import.meta.url);
/** The installed version of `name` as resolved from here (some packages do not export ./package.json). */
export function versionOf(name) {
  const dir = require.resolve.paths(name).find((p) => existsSync(path.join(p, name, 'package.json')));
  return dir ? JSON.parse(readFileSync(path.join(dir, name, 'package.json'), 'utf8')).version : undefined;
}

// ── bpmn-engine: in memory, the definition parsed once; one Engine per workflow (its unit). ──
const bpmnXml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="bench" targetNamespace="http://bpmn.io/schema/bpmn">
  <process id="bench_noop" isExecutable="true">
    <startEvent id="start" />
    <serviceTask id="a" implementation="\${environment.services.noop}" />
    <serviceTask id="b" implementation="\${environment.services.noop}" />
    <serviceTask id="c" implementation="\${environment.services.noop}" />
    <endEvent id="end" />
    <sequenceFlow id="f0" sourceRef="start" targetRef="a" />
    <sequenceFlow id="f1" sourceRef="a" targetRef="b" />
    <sequenceFlow id="f2" sourceRef="b" targetRef="c" />
    <sequenceFlow id="f3" sourceRef="c" targetRef="end" />
  </process>
</definitions>`;

async function openBpmn() {
  const { Engine } = await import('bpmn-engine');
  const BpmnModdle = (await import('bpmn-moddle')).default;
  const Elements = await import('bpmn-elements');
  const { default: serialize, TypeResolver } = await import('moddle-context-serializer');
  // Parsed and serialized once: every run starts from the same sourceContext.
  const moddleContext = await new BpmnModdle().fromXML(bpmnXml);
  const sourceContext = serialize(moddleContext, TypeResolver(Elements));
  const services = { noop: (_executionContext, callback) => callback() };
  let n = 0;
  const runOne = async () => {
    const engine = new Engine({ name: `bench-${n++}`, sourceContext, services });
    const ended = engine.waitFor('end');
    await engine.execute();
    await ended;
  };
  return { runOne, close: async () => {} };
}

// ── DBOS Transact: a workflow of three steps, its system database on the same PostgreSQL. ──
const DBOS_DB = process.env.WM_PEERS_DBOS_DB ?? 'wm_bench_dbos';
let dbosWorkflow;

async function dropDatabase(name) {
  const pg = require('pg');
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function openDbos() {
  const { DBOS } = await import('@dbos-inc/dbos-sdk');
  if (!dbosWorkflow) {
    const noop = async () => {};
    dbosWorkflow = DBOS.registerWorkflow(
      async () => {
        await DBOS.runStep(noop, { name: 'a' });
        await DBOS.runStep(noop, { name: 'b' });
        await DBOS.runStep(noop, { name: 'c' });
      },
      { name: 'bench_noop' },
    );
  }
  const url = new URL(PG_URL);
  url.pathname = `/${DBOS_DB}`;
  const quiet = () => {};
  const toStderr = (entry) => process.stderr.write(`dbos: ${entry instanceof Error ? entry.message : String(entry)}\n`);
  // A fresh database for every round (DBOS creates it and its tables at launch), as ours gets fresh tables.
  await dropDatabase(DBOS_DB);
  DBOS.setConfig({ name: 'wm-bench', systemDatabaseUrl: url.href, logger: { info: quiet, debug: quiet, warn: toStderr, error: toStderr } });
  await DBOS.launch();
  return {
    runOne: () => dbosWorkflow(),
    close: async () => {
      await DBOS.shutdown();
      await dropDatabase(DBOS_DB);
    },
  };
}

export const peers = {
  // About 100 times slower than ours on memory here: fewer workflows a round (a tenth sequentially, a fiftieth in flight).
  bpmn: { name: 'bpmn-engine.memory', label: 'bpmn-engine (memory)', sizeFactor: { seq: 0.1, thr: 0.02 }, version: () => versionOf('bpmn-engine'), open: openBpmn },
  // About 10 times slower in flight: a fifth of the workflows a throughput round (rounds of seconds both).
  dbos: { name: 'dbos.postgres', label: 'DBOS Transact (PostgreSQL)', sizeFactor: { thr: 0.2 }, version: () => versionOf('@dbos-inc/dbos-sdk'), open: openDbos },
  bareInProcess: { name: 'bullmq_bare.in_process', label: 'bare BullMQ chain (one process)', version: () => versionOf('bullmq'), open: () => openBareChain({ inProcess: true }) },
  bareWorker: { name: 'bullmq_bare.worker_process', label: 'bare BullMQ chain (worker process)', version: () => versionOf('bullmq'), open: () => openBareChain({ workers: 1 }) },
};
