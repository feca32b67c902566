/**
 * One replay of bench/detect.ts in a fresh process of its own, as `custos detect` runs it: nothing else has run
 * in the process, so the JIT is cold. Arguments: ORG_FILE EVENTS_FILE RESULT_FILE. Reads and indexes the org
 * (untimed), then replays the events file once with all detectors on (reader + `pushAt` + flush, timed) and
 * writes {"wall","cpu","events","alerts"} (milliseconds) to RESULT_FILE. The start-up of the loader, reading the
 * org and indexing it are not in the figure (`custos detect` also pays them: docs/detection.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createDetector, indexOrg, readEventBatches } from '../src/detect/index.js';
import type { Org } from '../src/detect/index.js';

const [orgFile, eventsFile, resultFile] = process.argv.slice(2) as [string, string, string];
const org = indexOrg(JSON.parse(readFileSync(orgFile, 'utf8')) as Org);
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const wall0 = performance.now();
const cpu0 = cpuMs();
const d = createDetector({ org });
let events = 0;
let alerts = 0;
for await (const batch of readEventBatches(eventsFile)) {
  for (let i = 0; i < batch.events.length; i++) alerts += d.pushAt(batch.events[i]!, batch.times[i]!).alerts.length;
  events += batch.events.length;
}
alerts += d.flush().alerts.length;
const cpu = cpuMs() - cpu0;
const wall = performance.now() - wall0;
writeFileSync(resultFile, JSON.stringify({ wall, cpu, events, alerts }));
