#!/usr/bin/env bash
# Installs the system packages the tests use, on a fresh Debian machine (idempotent, quiet when all is there).
set -euo pipefail
need=()
# gitlab-cli is python-gitlab's `gitlab` command: the REST API tests drive it as a real client.
# openssh-client is ssh-keygen: the SSH key tests make real keys and compare its fingerprints.
# openssh-server is sshd: relais serve runs it for git over SSH (nothing starts it here: no systemd).
# curl: jobs of the end-to-end tests call the API with $CI_JOB_TOKEN, as users' jobs do.
for pkg in git bash coreutils util-linux procps gitlab-cli chromium openssh-client openssh-server curl; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# Node and npm bring gitbeaker, the second real GitLab client the API tests drive (a machine with its own node keeps it).
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
# gitbeaker (@gitbeaker/rest), pinned, in a folder outside the repository; tests that need it skip without it.
gitbeaker=/var/cache/relais-test/node
if [ ! -f "$gitbeaker/node_modules/@gitbeaker/rest/package.json" ]; then
  mkdir -p "$gitbeaker"
  [ -f "$gitbeaker/package.json" ] || echo '{"name":"relais-test-clients","private":true}' > "$gitbeaker/package.json"
  (cd "$gitbeaker" && npm install --no-audit --no-fund --silent @gitbeaker/rest@43.8.0 >/dev/null 2>&1) \
    || echo "install-deps: npm could not install @gitbeaker/rest; the gitbeaker tests will be skipped" >&2
fi
command -v dotnet >/dev/null || { echo "install-deps: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
