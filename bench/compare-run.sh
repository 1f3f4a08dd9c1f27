#!/usr/bin/env bash
# `relais run` against gitlab-ci-local running the same pipeline in the local shell (no Docker), on
# the two tiny repositories: tiny-flat (10 echo jobs, one stage) and tiny-chain (10 jobs over 10
# stages). Each is timed side by side under hyperfine with a baseline that runs the ten scripts in
# bash with no CI tool, so that overhead/job = (mean − baseline) / 10. Target: Relais 3× faster.
#   bench/compare-run.sh [tiny-flat|tiny-chain ...]
# Environment: WARMUP (default 2), MIN_RUNS (default 10), RELAIS_RUN_ARGS (default "run"),
# PEER_RUN_ARGS (default "--shell-executor-no-image": jobs without an image run in the shell,
# which is gitlab-ci-local's default, written out), BENCH_WORK (repos).
# Results: tables on stdout; hyperfine's JSON and the tables under bench/results/ (git-ignored).
# Exit: 0 done; 3 Relais could not be measured (its `run` is not there yet): the peers were measured.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
warmup="${WARMUP:-2}"
min_runs="${MIN_RUNS:-10}"
read -r -a run_args <<<"${RELAIS_RUN_ARGS:-run}"
read -r -a gcl_args <<<"${PEER_RUN_ARGS:---shell-executor-no-image}"
jobs=10
repos=("$@")
[ ${#repos[@]} -gt 0 ] || repos=(tiny-flat tiny-chain)

mkdir -p "$results"
need_packages hyperfine rsync
need_peers
need_repos
build_relais

# The scripts alone: ten `bash -c` calls, one per job, as a shell executor would start them.
baseline="$work/tiny-baseline.sh"
{
  echo '#!/usr/bin/env bash'
  for i in $(seq -w 1 $jobs); do echo "bash -c 'echo \"job $i says hello\"'"; done
} >"$baseline"
chmod +x "$baseline"

relais_name="relais ${run_args[*]}"
gcl_name="gitlab-ci-local ${gcl_args[*]}"
status=0
for name in "${repos[@]}"; do
  repo="$work/$name"
  [ -f "$repo/.gitlab-ci.yml" ] || { say "bench: no $repo/.gitlab-ci.yml"; exit 1; }
  report="$results/run-$name-$stamp"
  cmds=(-n "baseline: $jobs scripts in bash" "$baseline")
  summary=(--baseline "baseline: $jobs scripts in bash" --jobs "$jobs" --target 3)

  probe "$repo" "$root/relais" "${run_args[@]}"
  relais_rc=$probe_rc
  if [ "$relais_rc" = 0 ]; then
    cmds+=(-n "$relais_name" "$root/relais ${run_args[*]}")
    summary+=(--relais "$relais_name")
  else
    say "bench: \`./relais ${run_args[*]}\` is not usable yet in $name (exit $relais_rc: $probe_err); measuring the peers only."
    status=3
  fi

  probe "$repo" "$gcl" "${gcl_args[@]}"
  [ "$probe_rc" = 0 ] || { say "bench: gitlab-ci-local failed in $repo (exit $probe_rc: $probe_err)"; exit 1; }
  grep -q 'starting shell' "$probe_out" || { say "bench: gitlab-ci-local did not use the shell executor in $repo"; exit 1; }
  cmds+=(-n "$gcl_name" "$gcl ${gcl_args[*]}")

  {
    echo "# compare-run: $name ($(grep -c '^job-' "$repo/.gitlab-ci.yml") jobs, $(grep -o '^ *stage: .*' "$repo/.gitlab-ci.yml" | sort -u | grep -c '') stage(s)), $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "versions: node $("$node" --version), gitlab-ci-local $("$gcl" --version | tail -1), $(hyperfine --version)"
    load_check
  } | tee "$report.md"

  (cd "$repo" && hyperfine -N --warmup "$warmup" --min-runs "$min_runs" --style basic \
      --export-json "$report.json" "${cmds[@]}") >&2

  {
    echo
    "$node" "$bench/lib/summary.mjs" "$report.json" "${summary[@]}"
    load_check
    [ "$relais_rc" = 0 ] || echo "relais: not measured (\`relais ${run_args[*]}\` exited $relais_rc); rerun when it lands."
    echo
  } | tee -a "$report.md"
  say "bench: results in $report.md and $report.json"
done
exit $status
