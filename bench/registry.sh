#!/usr/bin/env bash
# Push and pull of a 100 MB image through Relais's registry (`relais serve --registry-port`: Distribution behind
# Relais's token authentication, TLS with Relais's CA, `docker login` with a personal access token) side by side with
# a plain `docker-registry` without authentication on loopback, in one run, with the host's Docker engine.
# Each round makes a new image (one layer of incompressible bytes, so nothing is already in either registry and no
# cross-repository mount shortcuts the upload), pushes it to both (the order alternates), removes it locally, and
# pulls it from each. Prints the median of each figure and Relais's overhead (target: within 10%).
#   bench/registry.sh [ROUNDS]   (default 5)   Environment: BENCH_MB (default 100), BENCH_PORT (default 18490).
# Results also go to bench/results/registry-<stamp>.txt (git-ignored).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
rounds="${1:-5}"
mb="${BENCH_MB:-100}"
port="${BENCH_PORT:-18490}"
plain_port=$((port + 1)); registry_port=$((port + 2))
url="http://127.0.0.1:$port"
token="glpat-bench-0123456789abcdef"
dir="$work/registry"
out="$results/registry-$stamp.txt"
mkdir -p "$results"
need_packages curl jq
eval "$("$root/scripts/docker.sh")"
build_relais
rm -rf "$dir"; mkdir -p "$dir/plain" "$dir/docker-config"
export DOCKER_CONFIG="$dir/docker-config"   # never root's own ~/.docker

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -E "^(relais-bench/|127\.0\.0\.1:$plain_port/|.*:$registry_port/)" | xargs -r docker rmi -f >/dev/null 2>&1 || true
}
trap cleanup EXIT
report() { printf '%s\n' "$*" | tee -a "$out"; }
ms() { echo $(( $(date +%s%N) / 1000000 )); }
timed() { local t0; t0=$(ms); "$@" >/dev/null; echo $(( $(ms) - t0 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: 127.0.0.1:%s}\n' \
  "$dir/plain/data" "$plain_port" >"$dir/plain/config.yml"
docker-registry serve "$dir/plain/config.yml" >"$dir/plain/registry.log" 2>&1 &
pids+=($!)

RELAIS_ROOT_TOKEN="$token" "$root/relais" serve --data "$dir/data" --urls "$url" --no-runner --ssh-port 0 \
  --registry-port "$registry_port" >"$dir/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do curl -fs "$url/api/v4/version" >/dev/null 2>&1 && break; sleep 0.1; done
address=$(curl -fsS -X POST -H "PRIVATE-TOKEN: $token" "$url/api/v4/projects" -d name=bench | jq -r '.container_registry_image_prefix // empty' | cut -d/ -f1)
[ -n "$address" ] || { say "bench: the server runs no registry; serve.log:"; cat "$dir/serve.log" >&2; exit 1; }
echo "$token" | docker login -u root --password-stdin "$address" >/dev/null 2>&1

report "registry push/pull of a ${mb} MB image (one incompressible layer), $rounds rounds, median ms; host Docker $(docker version --format '{{.Server.Version}}')"
report "  plain:  docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}') on 127.0.0.1:$plain_port, HTTP, no auth"
report "  relais: the same registry supervised by relais serve at $address, TLS (Relais CA), token auth (/jwt/auth)"
plain_push=(); relais_push=(); plain_pull=(); relais_pull=()
for round in $(seq "$rounds"); do
  ctx="$dir/image-$round"; mkdir -p "$ctx"
  head -c "${mb}M" /dev/urandom >"$ctx/blob"
  tar -C "$ctx" -c blob | docker import - "relais-bench/big:$round" >/dev/null
  rm -rf "$ctx"
  plain="127.0.0.1:$plain_port/bench/big:$round"; ours="$address/root/bench:$round"
  docker tag "relais-bench/big:$round" "$plain"; docker tag "relais-bench/big:$round" "$ours"
  if (( round % 2 )); then
    plain_push+=("$(timed docker push -q "$plain")"); relais_push+=("$(timed docker push -q "$ours")")
  else
    relais_push+=("$(timed docker push -q "$ours")"); plain_push+=("$(timed docker push -q "$plain")")
  fi
  docker rmi -f "relais-bench/big:$round" "$plain" "$ours" >/dev/null
  if (( round % 2 )); then
    plain_pull+=("$(timed docker pull -q "$plain")"); docker rmi -f "$plain" >/dev/null
    relais_pull+=("$(timed docker pull -q "$ours")"); docker rmi -f "$ours" >/dev/null
  else
    relais_pull+=("$(timed docker pull -q "$ours")"); docker rmi -f "$ours" >/dev/null
    plain_pull+=("$(timed docker pull -q "$plain")"); docker rmi -f "$plain" >/dev/null
  fi
  say "bench: round $round: push plain ${plain_push[-1]} ms, relais ${relais_push[-1]} ms; pull plain ${plain_pull[-1]} ms, relais ${relais_pull[-1]} ms"
done

overhead() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", (b - a) * 100 / a }'; }
pp=$(printf '%s\n' "${plain_push[@]}" | median); rp=$(printf '%s\n' "${relais_push[@]}" | median)
pl=$(printf '%s\n' "${plain_pull[@]}" | median); rl=$(printf '%s\n' "${relais_pull[@]}" | median)
report "  push: plain $pp ms, relais $rp ms ($(overhead "$pp" "$rp"))"
report "  pull: plain $pl ms, relais $rl ms ($(overhead "$pl" "$rl"))"
