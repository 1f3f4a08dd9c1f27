#!/usr/bin/env bash
# Installs the system packages the tests use, on a fresh Debian machine (idempotent, quiet when all is there).
set -euo pipefail
need=()
# gitlab-cli is python-gitlab's `gitlab` command: the REST API tests drive it as a real client.
# openssh-client is ssh-keygen: the SSH key tests make real keys and compare its fingerprints.
# openssh-server is sshd: relais serve runs it for git over SSH (nothing starts it here: no systemd).
for pkg in git bash coreutils util-linux procps gitlab-cli chromium openssh-client openssh-server; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "install-deps: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
