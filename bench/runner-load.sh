#!/usr/bin/env bash
# Dispatch under load with real processes (issue 5): `relais serve --no-runner` and 8 `relais runner` processes
# (4 concurrent jobs each, shell executor, GIT_STRATEGY none), N queued jobs (default 5,000: one pushed 10-job
# pipeline, then POST /projects/:id/pipeline until N jobs exist) queued before the runners start, then drained.
# Prints jobs/s (runners started → last job finished), the coordinator's peak RSS, and checks that every job ran exactly once (one
# attempt each, all success). STORE=postgres uses a fresh database on scripts/postgres.sh's cluster.
#
#   bench/runner-load.sh [N]          STORE=sqlite|postgres (default sqlite)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jobs="${1:-5000}"
store="${STORE:-sqlite}"
work="$(mktemp -d /tmp/relais-runner-load.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet build "$root/src/Relais.Cli/Relais.Cli.csproj" -c Release -nologo -v quiet >/dev/null
relais=("dotnet" "$root/src/Relais.Cli/bin/Release/net10.0/relais.dll")
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
token="glpat-bench-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
db=()
if [ "$store" = postgres ]; then
  admin="${RELAIS_TEST_POSTGRES:-$("$root/scripts/postgres.sh")}"
  name="relais_bench_$$"
  PGPASSWORD=relais psql -h 127.0.0.1 -p "${RELAIS_PG_PORT:-55432}" -U relais -d relais -qc "CREATE DATABASE $name" >/dev/null
  db=(--database "${admin/Database=relais/Database=$name}")
fi

RELAIS_ROOT_TOKEN="$token" "${relais[@]}" serve --data "$work/data" --urls "$url" --no-runner --ssh-port 0 "${db[@]}" >"$work/serve.log" 2>&1 &
server=$!; pids+=("$server")
until curl -fs "$url/api/v4/version" -H "PRIVATE-TOKEN: $token" >/dev/null; do sleep 0.2; done
api() { curl -fsS -H "PRIVATE-TOKEN: $token" "$@"; }


repo="$work/repo"; mkdir -p "$repo"
{ echo "variables: {GIT_STRATEGY: none}"; for j in $(seq 0 9); do echo "job$j: {script: [echo job$j]}"; done; } >"$repo/.gitlab-ci.yml"
git -C "$repo" init -q -b main && git -C "$repo" add -A
git -C "$repo" -c user.email=b@relais.local -c user.name=bench commit -qm bench
queueing=$(date +%s.%N)
git -C "$repo" push -q "http://root:$token@127.0.0.1:$port/root/demo.git" main
for _ in $(seq 2 $((jobs / 10))); do api -X POST "$url/api/v4/projects/root%2Fdemo/pipeline?ref=main" >/dev/null; done
queued=$(date +%s.%N)

# The queue is full: now the runners start, and the clock with them.
start=$(date +%s.%N)
for i in $(seq 1 8); do
  rt="$(api -X POST "$url/api/v4/user/runners" -d runner_type=instance_type -d run_untagged=true | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
  "${relais[@]}" runner --url "$url" --token "$rt" --name "r$i" --concurrent 4 \
    --builds-dir "$work/builds-$i" --cache-dir "$work/cache-$i" >"$work/runner-$i.log" 2>&1 &
  pids+=("$!")
done

peak=0
total() { local n; n="$(api -D - -o /dev/null "$url/api/v4/projects/root%2Fdemo/jobs?per_page=1&scope%5B%5D=$1" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-total"{print $2}')" || true; echo "${n:-0}"; }
while true; do
  rss=$(awk '/VmRSS/{print $2}' "/proc/$server/status"); [ "$rss" -gt "$peak" ] && peak=$rss
  done_=$(( $(total success) + $(total failed) + $(total canceled) ))
  [ "$done_" -ge "$jobs" ] && break
  sleep 1
done
end=$(date +%s.%N)
all=$(api -D - -o /dev/null "$url/api/v4/projects/root%2Fdemo/jobs?per_page=1" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-total"{print $2}')
python3 - "$queueing" "$queued" "$start" "$end" "$jobs" "$peak" "$(total success)" "$all" "$store" <<'PY'
import sys
queueing, queued, start, end, jobs, peak, ok, all_, store = sys.argv[1:]
queueing, queued, start, end = float(queueing), float(queued), float(start), float(end)
print(f"{store}: {jobs} queued jobs (queued in {queued-queueing:.1f} s) drained by 8 runner processes in {end-start:.1f} s "
      f"= {int(jobs)/(end-start):.1f} jobs/s (runner start-up included); "
      f"{ok} succeeded, {all_} attempts in all (exactly once: {ok == jobs and all_ == jobs}); coordinator peak RSS {int(peak)/1024:.0f} MB")
PY
if [ "$store" = postgres ]; then
  kill "$server"; wait "$server" 2>/dev/null || true
  PGPASSWORD=relais psql -h 127.0.0.1 -p "${RELAIS_PG_PORT:-55432}" -U relais -d relais -qc "DROP DATABASE $name WITH (FORCE)" >/dev/null
fi
