#!/usr/bin/env bash
# `relais plan --json` against `gitlab-ci-local --list` and `--list-json` on the generated 1,000-job
# repository, whole processes, side by side under hyperfine. Target: Relais 20× faster.
#   bench/compare-plan.sh
# Environment: WARMUP (default 1), MIN_RUNS (default 5), RELAIS_PLAN_ARGS (default "plan --json"),
# RELAIS_DIRECT=1 adds a row for the built binary without the ./relais wrapper, PEER_NO_CHANGES=1 adds
# a row for `gitlab-ci-local --list --evaluate-rule-changes=false` (shows what its per-rule `git diff`
# calls cost; it then treats every rules:changes as true, so it lists more jobs), BENCH_WORK (repos).
# Results: a table on stdout; hyperfine's JSON and the table under bench/results/ (git-ignored).
# Exit: 0 done; 3 Relais could not be measured (its `plan` is not there yet): the peers were measured.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
warmup="${WARMUP:-1}"
min_runs="${MIN_RUNS:-5}"
read -r -a plan_args <<<"${RELAIS_PLAN_ARGS:-plan --json}"

mkdir -p "$results"
need_packages hyperfine
need_peers
need_repos
build_relais
repo="$work/big"
report="$results/plan-$stamp"

cmds=()
summary=(--target 20)
relais_name="relais ${plan_args[*]}"
probe "$repo" "$root/relais" "${plan_args[@]}"
relais_rc=$probe_rc
if [ "$relais_rc" = 0 ]; then
  relais_jobs="$("$node" -e 'try { const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const j = Array.isArray(p) ? p : p.jobs ?? p.plan?.jobs; console.log(Array.isArray(j) ? j.length : "?"); } catch { console.log("?"); }' "$probe_out")"
  cmds+=(-n "$relais_name" "$root/relais ${plan_args[*]}")
  summary+=(--relais "$relais_name")
  if [ "${RELAIS_DIRECT:-0}" = 1 ]; then
    cmds+=(-n "relais binary ${plan_args[*]}" "$root/.build/cli/relais ${plan_args[*]}")
  fi
else
  say "bench: \`./relais ${plan_args[*]}\` is not usable yet (exit $relais_rc: $probe_err); measuring the peers only."
fi

probe "$repo" "$gcl" --list
[ "$probe_rc" = 0 ] || { say "bench: gitlab-ci-local --list failed in $repo (exit $probe_rc: $probe_err)"; exit 1; }
gcl_jobs=$(( $(grep -c '' "$probe_out") - 1 ))
cmds+=(-n "gitlab-ci-local --list" "$gcl --list")
cmds+=(-n "gitlab-ci-local --list-json" "$gcl --list-json")
if [ "${PEER_NO_CHANGES:-0}" = 1 ]; then
  cmds+=(-n "gitlab-ci-local --list --evaluate-rule-changes=false" "$gcl --list --evaluate-rule-changes=false")
fi

{
  echo "# compare-plan: $repo/.gitlab-ci.yml ($(grep -c '' "$repo/.gitlab-ci.yml") lines), $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "versions: node $("$node" --version), gitlab-ci-local $("$gcl" --version | tail -1), $(hyperfine --version)"
  echo "jobs in the pipeline: gitlab-ci-local $gcl_jobs; relais ${relais_jobs:-not run}${relais_jobs:+$( [ "$relais_jobs" = "?" ] && echo " (its JSON has no jobs list)")}"
  load_check
} | tee "$report.md"

(cd "$repo" && hyperfine -N --warmup "$warmup" --min-runs "$min_runs" --style basic \
    --export-json "$report.json" "${cmds[@]}") >&2

{
  echo
  "$node" "$bench/lib/summary.mjs" "$report.json" "${summary[@]}"
  load_check
  [ "$relais_rc" = 0 ] || echo "relais: not measured (\`relais ${plan_args[*]}\` exited $relais_rc); rerun when it lands."
} | tee -a "$report.md"
say "bench: results in $report.md and $report.json"
[ "$relais_rc" = 0 ] || exit 3
