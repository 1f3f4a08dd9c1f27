#!/usr/bin/env bash
# Dispatch under load (issue 5): a queue of N jobs (default 5,000: 500 pipelines of 10) drained by 8 concurrent runner
# agents over HTTP against the real coordinator, on SQLite and on PostgreSQL. Each agent requests a job and sends its
# final update, as fast as it can. Prints, per store: jobs/s, request→201 p50/p99, and the managed heap before/after.
# It is LoadTests.A_full_queue_drained_by_eight_agents_dispatches_every_job_exactly_once with RELAIS_LOAD_JOBS=N, so
# exactly-once is checked as well. Timings on a shared machine are noisy: run it on an idle one.
#
#   bench/dispatch-load.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export RELAIS_LOAD_JOBS="${1:-5000}"
if [ -z "${RELAIS_TEST_POSTGRES:-}" ]; then
  RELAIS_TEST_POSTGRES="$("$root/scripts/postgres.sh")"
fi
export RELAIS_TEST_POSTGRES
dotnet build "$root/tests/Relais.Server.Tests/Relais.Server.Tests.csproj" -c Release -nologo -v quiet >/dev/null
dotnet test "$root/tests/Relais.Server.Tests/Relais.Server.Tests.csproj" -c Release --no-build -nologo \
  --filter "FullyQualifiedName~A_full_queue_drained_by_eight_agents" --logger "console;verbosity=detailed" \
  | grep -E "jobs/s|Passed |Failed |Total tests" | sed 's/^ *//'
