#!/usr/bin/env bash
# Makes a Docker engine answer on /var/run/docker.sock, on a fresh Debian machine or an already prepared one
# (idempotent; a socket ping when it already runs). Installs Debian's docker.io and iptables when dockerd is missing
# (as root), then starts `dockerd --storage-driver=overlay2` in the background (vfs when overlay2 fails); its log is
# RELAIS_DOCKERD_LOG (default /tmp/relais-dockerd.log). Used by scripts/docker.sh (the tests) and by `./relais serve`,
# whose embedded runner runs untrusted projects' jobs in containers (docs/security.md, the trust model).
# Exits 1, saying why on stderr, when no engine answers in the end.
set -euo pipefail
sock=/var/run/docker.sock
dockerd_log="${RELAIS_DOCKERD_LOG:-/tmp/relais-dockerd.log}"
log() { echo "docker-engine.sh: $*" >&2; }

answers() {
  if command -v curl >/dev/null 2>&1; then curl -fsS --max-time 2 --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1
  else timeout 5 docker -H "unix://$sock" version --format '{{.Server.Version}}' >/dev/null 2>&1; fi
}
answers && exit 0

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then log "dockerd is missing and only root can install ${need[*]}"; exit 1; fi
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
fi
if [ "$(id -u)" != 0 ]; then log "no Docker engine answers on $sock and only root can start dockerd"; exit 1; fi

dockerd_pid=
start_dockerd() {
  log "starting dockerd --storage-driver=$1 (log: $dockerd_log)"
  # its own session: dockerd outlives the shell (and process group) that started it
  setsid nohup dockerd --storage-driver="$1" >>"$dockerd_log" 2>&1 </dev/null &
  dockerd_pid=$!
  for _ in $(seq 1 60); do answers && return 0; kill -0 "$dockerd_pid" 2>/dev/null || return 1; sleep 0.5; done
  return 1
}
stop_started_dockerd() { [ -n "$dockerd_pid" ] && kill "$dockerd_pid" 2>/dev/null; sleep 1; }
start_dockerd overlay2 || { stop_started_dockerd; start_dockerd vfs; } \
  || { log "dockerd did not answer; see $dockerd_log"; tail -20 "$dockerd_log" >&2; exit 1; }
