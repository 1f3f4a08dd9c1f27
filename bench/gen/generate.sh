#!/usr/bin/env bash
# Writes the benchmark repositories (fresh git checkouts) under bench/.work/ (git-ignored):
#   big/         the generated monorepo .gitlab-ci.yml: 1,000 jobs as written, 10 stages, 3-level
#                extends chains, default:, anchors, !reference, rules (if/changes), needs, parallel, matrix
#   tiny-flat/   10 trivial echo jobs in one stage          (relais run comparisons)
#   tiny-chain/  10 trivial echo jobs chained over 10 stages (relais run comparisons)
# Deterministic: the same seed writes the same files and the same commit ids.
# The generator is the `gen` mode of bench/Relais.Bench (C#: bench/Relais.Bench/Gen/).
#   bench/gen/generate.sh [--out DIR] [--jobs N] [--seed N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exec dotnet run -c Release --project "$root/bench/Relais.Bench" -- gen "$@"
