#!/usr/bin/env bash
# The coordinator and runner end to end, with real processes on loopback: `./relais serve --no-runner` and one
# `./relais runner` process with 2 runners x 4 slots, fed by real `git push`es. Prints:
#   - idle server RSS after start, and after all the jobs below (target < 150 MB);
#   - git push → first job's script running (p50 and max of 10 pushes);
#   - 120 one-line jobs, push → pipeline success, in jobs/s (target ≥ 50): without a checkout (GIT_STRATEGY=none:
#     the coordinator and runner alone) and with one (fetch: what a real pipeline pays per job);
#   - 1,000 one-line jobs in one pipeline (GIT_STRATEGY=none), in jobs/s;
#   - a job printing 50 MiB: job start → job end, in MB/s, and whether every line arrived (target ≥ 50 MB/s).
#   bench/server.sh [--database CONNSTR]     (default SQLite; a PostgreSQL connection string to run on it)
# Environment: BENCH_PORT (default 18480). Results also go to bench/results/server-<stamp>.txt (git-ignored).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
db_args=()
[ "${1:-}" = "--database" ] && db_args=(--database "$2")
port="${BENCH_PORT:-18480}"
url="http://127.0.0.1:$port"
token="glpat-bench-0123456789abcdef"
dir="$work/server"
out="$results/server-$stamp.txt"
mkdir -p "$results"
need_packages jq curl git
build_relais
rm -rf "$dir"; mkdir -p "$dir"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
report() { printf '%s\n' "$*" | tee -a "$out"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_mb() { # RSS, and how much of it is anonymous (heaps, JIT code) and file-backed (the mapped assemblies)
  awk '/^Rss/ { r = $2 } /^Anonymous/ { a = $2 } END { printf "%.0f MB (anonymous %.0f, files %.0f)", r / 1024, a / 1024, (r - a) / 1024 }' "/proc/$1/smaps_rollup"
}
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat"; } # incl. waited-for children
api() { curl -fsS -H "PRIVATE-TOKEN: $token" "$@"; }

RELAIS_ROOT_TOKEN="$token" "$root/relais" serve --data "$dir/data" --urls "$url" --no-runner --ssh-port 0 "${db_args[@]}" >"$dir/serve.log" 2>&1 &
server=$!; pids+=("$server")
for _ in $(seq 100); do curl -fs "$url/api/v4/version" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 2
report "store: $([ ${#db_args[@]} -gt 0 ] && echo postgresql || echo sqlite)"
report "idle server RSS after start: $(rss_mb "$server")"

register() { api -X POST "$url/api/v4/user/runners" -d runner_type=instance_type -d description=bench | jq -r .token; }
cat >"$dir/runner.yml" <<EOF
concurrent: 8
runners:
  - {name: bench-a, url: "$url", token: "$(register)", limit: 4, request_concurrency: 4, output_limit: 200000, builds_dir: builds-a}
  - {name: bench-b, url: "$url", token: "$(register)", limit: 4, request_concurrency: 4, output_limit: 200000, builds_dir: builds-b}
EOF
"$root/relais" runner --config "$dir/runner.yml" >"$dir/runner.log" 2>&1 &
runner=$!; pids+=("$runner")

repo="$dir/repo"
git init -q -b main "$repo"
git -C "$repo" config user.email bench@example.com; git -C "$repo" config user.name bench
remote="http://root:$token@127.0.0.1:$port/root/bench.git"
push() { git -C "$repo" add -A; git -C "$repo" commit -qm "$1"; git -C "$repo" push -q "$remote" main 2>>"$dir/push.log"; }
latest() { api "$url/api/v4/projects/root%2Fbench/pipelines?per_page=1" | jq -r '.[0].id'; }
wait_pipeline() { # id, seconds → prints the final status
  local status=""
  for _ in $(seq $(( $2 * 20 ))); do
    status=$(api "$url/api/v4/projects/root%2Fbench/pipelines/$1" | jq -r .status)
    case "$status" in success|failed|canceled) echo "$status"; return;; esac
    sleep 0.05
  done
  echo "timeout($status)"
}

# 1. push → first job running: the job's first command writes the time it ran.
samples=()
for i in $(seq 10); do
  rm -f "$dir/started"
  printf 'first:\n  script: [date +%%s%%N > %s]\n' "$dir/started" >"$repo/.gitlab-ci.yml"
  echo "$i" >"$repo/n.txt"
  t0=$(date +%s%N)
  push "push $i"
  for _ in $(seq 400); do [ -s "$dir/started" ] && break; sleep 0.01; done
  samples+=($(( ($(cat "$dir/started") - t0) / 1000000 )))
  wait_pipeline "$(latest)" 30 >/dev/null
done
sorted=($(printf '%s\n' "${samples[@]}" | sort -n))
report "git push → first job's script running: p50 ${sorted[4]} ms, max ${sorted[9]} ms (10 pushes; includes the push itself and the clone)"

# 2. and 3. many one-line jobs in one pipeline: push → pipeline success.
many() { # jobs, GIT_STRATEGY
  printf 'variables: {GIT_STRATEGY: %s}\n' "$2" >"$repo/.gitlab-ci.yml"
  for i in $(seq "$1"); do echo "job$i: {script: [echo $i]}" >>"$repo/.gitlab-ci.yml"; done
  t0=$(ms)
  push "$1 jobs"
  local id status c0 r0; c0=$(cpu_s "$server"); r0=$(cpu_s "$runner")
  id=$(latest); status=$(wait_pipeline "$id" 600); t1=$(ms)
  report "$1 one-line jobs (GIT_STRATEGY=$2), push → pipeline $status: $(( t1 - t0 )) ms = $(awk -v n="$1" -v t=$(( t1 - t0 )) 'BEGIN { printf "%.0f", n / (t / 1000) }') jobs/s; CPU: server $(awk -v a="$c0" -v b="$(cpu_s "$server")" 'BEGIN { print b - a }') s, runner with its jobs $(awk -v a="$r0" -v b="$(cpu_s "$runner")" 'BEGIN { print b - a }') s"
}
many 120 none
many 120 fetch
many 1000 none
many 120 none # again, warm
sleep 2
report "idle server RSS after 1,370 jobs: $(rss_mb "$server")"

# 4. a job printing 50 MiB in 64-byte lines.
lines=819200
cat >"$repo/.gitlab-ci.yml" <<EOF
big:
  script:
    - awk 'BEGIN { for (i = 0; i < $lines; i++) print "012345678901234567890123456789012345678901234567890123456789012" }'
EOF
push "50 MiB"
id=$(latest); status=$(wait_pipeline "$id" 600)
job=$(api "$url/api/v4/projects/root%2Fbench/pipelines/$id/jobs" | jq '.[0]')
jid=$(jq -r .id <<<"$job")
secs=$(jq -r .duration <<<"$job")
api "$url/api/v4/projects/root%2Fbench/jobs/$jid/trace" -o "$dir/trace.log"
got=$(grep -c '^012345678901234567890123456789012345678901234567890123456789012$' "$dir/trace.log" || true)
size=$(stat -c %s "$dir/trace.log")
report "a job printing 50 MiB ($status): trace $size bytes, $got of $lines lines whole, job start → end ${secs} s = $(awk -v b="$size" -v s="$secs" 'BEGIN { printf "%.0f", b / 1e6 / s }') MB/s"
report "server RSS after the 50 MiB job: $(rss_mb "$server")"
say "bench: results in $out"
