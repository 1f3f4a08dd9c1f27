// Reads a hyperfine --export-json file and prints a Markdown table, the speed-up of Relais over
// each peer, and (with --jobs and --baseline) the per-job overhead of each tool.
//   node summary.mjs FILE.json [--relais NAME] [--target X] [--baseline NAME --jobs N]
import { readFileSync } from "node:fs";

const [file, ...rest] = process.argv.slice(2);
const opt = {};
for (let i = 0; i < rest.length; i += 2) opt[rest[i].replace(/^--/, "")] = rest[i + 1];
const { results } = JSON.parse(readFileSync(file, "utf8"));

const fmt = (s) => (s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(1)} ms`);
const byName = new Map(results.map((r) => [r.command, r]));
const relais = opt.relais && byName.get(opt.relais);
const baseline = opt.baseline && byName.get(opt.baseline);
const jobs = Number(opt.jobs ?? 0);

// Wall-clock time is what a person waits for; CPU time (user + system, summed over the process and its
// children) barely moves when other work shares the machine, so it is the steadier number on a busy one.
const cpu = (r) => (r.user ?? 0) + (r.system ?? 0);
const head = ["command", "mean", "± σ", "median", "min", "max", "cpu (user+sys)", "runs"];
if (relais) head.push("× relais");
if (baseline && jobs) head.push("overhead/job");
console.log(`| ${head.join(" | ")} |`);
console.log(`|${head.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
for (const r of results) {
  const row = [r.command, fmt(r.mean), fmt(r.stddev ?? 0), fmt(r.median), fmt(r.min), fmt(r.max), fmt(cpu(r)), r.times.length];
  if (relais) row.push(r === relais ? "1×" : r === baseline ? "—" : `${(r.mean / relais.mean).toFixed(1)}×`);
  if (baseline && jobs) row.push(r === baseline ? "(script time)" : fmt((r.mean - baseline.mean) / jobs));
  console.log(`| ${row.join(" | ")} |`);
}

if (relais) {
  const target = Number(opt.target ?? 0);
  for (const r of results) {
    if (r === relais || r === baseline || r.command.startsWith("relais")) continue;
    const x = r.mean / relais.mean;
    const verdict = target ? ` (target ${target}×: ${x >= target ? "met" : "NOT met"})` : "";
    const xc = cpu(relais) > 0 ? ` (CPU time: ${(cpu(r) / cpu(relais)).toFixed(1)}×)` : "";
    console.log(`ratio: ${r.command} / ${relais.command} = ${x.toFixed(1)}× wall-clock${verdict}${xc}`);
  }
}
if (baseline && jobs) {
  console.log(`overhead/job = (mean − mean of "${baseline.command}") / ${jobs} jobs: what each tool adds per job beyond running its script in bash.`);
}
