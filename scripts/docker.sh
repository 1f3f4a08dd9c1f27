#!/usr/bin/env bash
# Makes a Docker engine and the docker executor's test images available, on a fresh Debian machine or an
# already prepared one (idempotent; about a second when everything is there). Nothing comes from Docker Hub:
#
#   * installs Debian's busybox-static, debootstrap, tini, docker-registry, openssl and docker-compose (1.29, the
#     GitOps Compose applier's tests use it when the `docker compose` plugin is missing) when missing;
#   * makes the engine answer with scripts/docker-engine.sh (installs docker.io, starts dockerd: overlay2, else vfs);
#   * starts Debian's docker-registry on 127.0.0.1:${RELAIS_TEST_REGISTRY_PORT:-5055} (plain HTTP; pull tests) unless it runs;
#   * builds, once (skipped when the image exists):
#       relais-test/busybox:latest  busybox-static with its applets linked (`docker import`)
#       relais-test/debian:bookworm debootstrap --variant=minbase bookworm with git, ca-certificates, curl
#       relais-test/dind:latest     dockerd + containerd + runc + the docker CLI from the host, busybox, tini,
#                                   openssl and an entrypoint that behaves like docker:dind's
#                                   (TLS on 2376 with certificates in $DOCKER_TLS_CERTDIR, else 2375).
#       relais-test/docker:latest   the docker CLI from the host and busybox, with an entrypoint like docker:stable's
#                                   (DOCKER_HOST=tcp://docker:2375, or :2376 with TLS certificates, when unset).
#       relais-test/ssh:latest      the host's OpenSSH (sshd, ssh, ssh-agent, ssh-add, ssh-keygen, ssh-keyscan), the
#                                   docker CLI and busybox: a deploy job's image, and with `deploy-host` a deploy host
#                                   whose user `deploy` runs docker against the engine socket mounted into it.
#
# Prints `RELAIS_TEST_DOCKER=1` as its only line on stdout when the engine answers and the images exist:
#   eval "$(scripts/docker.sh)" && export RELAIS_TEST_DOCKER
set -euo pipefail
sock=/var/run/docker.sock
log() { echo "docker.sh: $*" >&2; }
# The docker CLI: the host may have a newer one in /usr/local/bin; both speak to a 1.41 engine.
docker_cli() { DOCKER_HOST="unix://$sock" docker "$@"; }

need=()
[ -x /bin/busybox ] && dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
[ -x /usr/bin/tini-static ] || need+=(tini)
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || need+=(docker-compose)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
fi

"$(dirname "${BASH_SOURCE[0]}")/docker-engine.sh" || exit 1

has_image() { docker_cli image inspect "$1" >/dev/null 2>&1; }

build_busybox() {
  local r; r=$(mktemp -d)
  mkdir -p "$r/bin" "$r/tmp" "$r/etc" "$r/root"
  cp /bin/busybox "$r/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"; printf 'root:x:0:\n' >"$r/etc/group"
  chmod 1777 "$r/tmp"
  tar -C "$r" -c . | docker_cli import -c 'CMD ["sh"]' -c 'ENV PATH=/bin' - relais-test/busybox:latest >/dev/null
  rm -rf "$r"
}

apt_mirror() {
  local m
  m=$(grep -hoE '^(deb|URIs:) +(\[[^]]*\] +)?https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
      | grep -v security | head -1 | grep -oE 'https?://[^ ]+' || true)
  echo "${m:-http://deb.debian.org/debian}"
}
build_debian() {
  local r; r=$(mktemp -d)
  log "debootstrap --variant=minbase bookworm from $(apt_mirror) (about 30 s)"
  debootstrap --variant=minbase --include=git,ca-certificates,curl bookworm "$r" "$(apt_mirror)" >/dev/null
  rm -rf "$r/var/cache/apt/archives/"*.deb "$r/var/lib/apt/lists/"*
  tar -C "$r" -c . | docker_cli import -c 'CMD ["bash"]' \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - relais-test/debian:bookworm >/dev/null
  rm -rf "$r"
}

# The base of the DinD and docker CLI images: busybox with its applets, /etc/passwd and group, the usual folders.
rootfs_base() {
  local r="$1"
  mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,usr/lib,lib64,lib/x86_64-linux-gnu,usr/lib/x86_64-linux-gnu} \
           "$r"/{etc,tmp,var/run,proc,sys,dev,root,run,certs}
  cp /bin/busybox "$r/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"; printf 'root:x:0:\ndocker:x:999:\n' >"$r/etc/group"
  chmod 1777 "$r/tmp"
}
# Copies host binaries (at their path) and the shared libraries they load into a root filesystem.
rootfs_bins() {
  local r="$1"; shift
  for b in "$@"; do mkdir -p "$r$(dirname "$b")"; cp -L "$b" "$r$b"; done
  for b in "$@"; do ldd "$b" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' || true; done | sort -u | while read -r l; do
    mkdir -p "$r$(dirname "$l")"; cp -L "$l" "$r$l"; done
}
# The host's docker CLI (it may be newer, in /usr/local/bin; it speaks to a 1.41 engine) as /usr/local/bin/docker.
rootfs_docker_cli() {
  local r="$1" cli; cli=$(command -v docker)
  rootfs_bins "$r" "$cli"; [ "$cli" = /usr/local/bin/docker ] || cp -L "$cli" "$r/usr/local/bin/docker"
}

# After /work/shared/recipes/dind-image.sh, plus openssl and a docker:dind-like entrypoint.
build_dind() {
  local r; r=$(mktemp -d)
  rootfs_base "$r"; mkdir -p "$r/var/lib/docker"
  rootfs_bins "$r" /usr/sbin/dockerd /usr/bin/containerd /usr/bin/containerd-shim-runc-v2 /usr/sbin/runc /usr/bin/tini-static \
              /usr/sbin/docker-proxy /usr/sbin/xtables-nft-multi /usr/sbin/xtables-legacy-multi /usr/bin/openssl
  rootfs_docker_cli "$r"
  ln -sf tini-static "$r/usr/bin/docker-init"
  for n in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
    ln -sf xtables-nft-multi "$r/usr/sbin/$n"; done
  cp -a /usr/lib/x86_64-linux-gnu/xtables "$r/usr/lib/x86_64-linux-gnu/"
  mkdir -p "$r/usr/lib/ssl"; cp -L /usr/lib/ssl/openssl.cnf "$r/usr/lib/ssl/" 2>/dev/null || true
  cp -L /usr/lib/os-release "$r/usr/lib/os-release"
  cat >"$r/usr/local/bin/dockerd-entrypoint.sh" <<'EOF'
#!/bin/sh
# Like docker:dind's entrypoint: with DOCKER_TLS_CERTDIR, a CA, a server and a client certificate are made
# there (client/ is what jobs mount) and dockerd listens with TLS on 2376; without it, plain TCP on 2375.
set -e
mkdir -p /run /var/run
if [ -n "$DOCKER_TLS_CERTDIR" ]; then
  d="$DOCKER_TLS_CERTDIR"; mkdir -p "$d/ca" "$d/server" "$d/client"
  if [ ! -s "$d/ca/cert.pem" ]; then
    openssl genrsa -out "$d/ca/key.pem" 2048 2>/dev/null
    openssl req -new -x509 -days 7 -key "$d/ca/key.pem" -subj /CN=relais-dind-ca -out "$d/ca/cert.pem"
  fi
  for who in server client; do
    [ -s "$d/$who/cert.pem" ] && continue
    openssl genrsa -out "$d/$who/key.pem" 2048 2>/dev/null
    openssl req -new -key "$d/$who/key.pem" -subj "/CN=docker-$who" -out "$d/$who/csr.pem"
    if [ $who = server ]; then
      printf 'subjectAltName=DNS:docker,DNS:localhost,IP:127.0.0.1%s\nextendedKeyUsage=serverAuth\n' \
        "$(for a in $(hostname) $DOCKER_TLS_SAN; do printf ',DNS:%s' "$a"; done)" >"$d/$who/ext.cnf"
    else
      printf 'extendedKeyUsage=clientAuth\n' >"$d/$who/ext.cnf"
    fi
    openssl x509 -req -days 7 -in "$d/$who/csr.pem" -CA "$d/ca/cert.pem" -CAkey "$d/ca/key.pem" -CAcreateserial \
      -extfile "$d/$who/ext.cnf" -out "$d/$who/cert.pem" 2>/dev/null
    cp "$d/ca/cert.pem" "$d/$who/ca.pem"; chmod 644 "$d/$who/"*.pem
  done
  set -- --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376 --tlsverify \
    --tlscacert "$d/server/ca.pem" --tlscert "$d/server/cert.pem" --tlskey "$d/server/key.pem" "$@"
else
  set -- --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 "$@"
fi
exec /usr/sbin/dockerd --storage-driver=overlay2 "$@"
EOF
  chmod 755 "$r/usr/local/bin/dockerd-entrypoint.sh"
  tar -C "$r" -c . | docker_cli import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'ENV DOCKER_TLS_CERTDIR=' \
    -c 'ENTRYPOINT ["/usr/local/bin/dockerd-entrypoint.sh"]' -c 'EXPOSE 2375 2376' -c 'VOLUME /var/lib/docker' \
    - relais-test/dind:latest >/dev/null
  rm -rf "$r"
}

# A docker:stable-like client image: the host's docker CLI on busybox, with an entrypoint that behaves like the
# official image's: a command starting with an option or naming a docker subcommand runs through docker; without
# DOCKER_HOST, a service reachable as "docker" is used (2376 with TLS when $DOCKER_TLS_CERTDIR/client has
# certificates, else 2375).
build_docker_cli() {
  local r; r=$(mktemp -d)
  rootfs_base "$r"
  rootfs_docker_cli "$r"
  cat >"$r/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ]; then set -- docker "$@"; fi
if [ -n "${1:-}" ] && [ "$1" != docker ] && docker help "$1" >/dev/null 2>&1; then set -- docker "$@"; fi
if [ -z "${DOCKER_HOST:-}" ] && nslookup docker >/dev/null 2>&1; then
  c="${DOCKER_TLS_CERTDIR:-}/client"
  if [ -n "${DOCKER_TLS_CERTDIR:-}" ] && [ -s "$c/ca.pem" ] && [ -s "$c/cert.pem" ] && [ -s "$c/key.pem" ]; then
    export DOCKER_HOST=tcp://docker:2376 DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$c"
  else
    export DOCKER_HOST=tcp://docker:2375
  fi
fi
exec "$@"
EOF
  chmod 755 "$r/usr/local/bin/docker-entrypoint.sh"
  tar -C "$r" -c . | docker_cli import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'ENV DOCKER_TLS_CERTDIR=/certs' \
    -c 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' -c 'CMD ["sh"]' - relais-test/docker:latest >/dev/null
  rm -rf "$r"
}

# OpenSSH and the docker CLI on busybox (the Swarm deploy test): as a job image it has what `DOCKER_HOST=ssh://` needs
# on the client side; `deploy-host` makes it the server side (sshd for the user `deploy`, whose docker CLI talks to
# the socket mounted at /var/run/docker.sock: what `docker system dial-stdio` over ssh reaches).
build_ssh() {
  local r; r=$(mktemp -d)
  rootfs_base "$r"
  rootfs_bins "$r" /usr/sbin/sshd /usr/bin/ssh /usr/bin/ssh-agent /usr/bin/ssh-add /usr/bin/ssh-keygen /usr/bin/ssh-keyscan
  rootfs_docker_cli "$r"
  mkdir -p "$r/etc/ssh" "$r/run/sshd" "$r/home"; chmod 755 "$r/run/sshd"
  printf 'sshd:x:101:65534::/run/sshd:/bin/false\n' >>"$r/etc/passwd"; printf 'nogroup:x:65534:\n' >>"$r/etc/group"
  cat >"$r/etc/ssh/sshd_config" <<'CONFIG'
HostKey /etc/ssh/ssh_host_ed25519_key
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowUsers deploy
PrintMotd no
PidFile /run/sshd.pid
CONFIG
  cat >"$r/usr/local/bin/deploy-host" <<'SCRIPT'
#!/bin/sh
# A deploy host: the user `deploy` (in the group of /var/run/docker.sock) with $AUTHORIZED_KEYS, a fresh ed25519
# host key, and sshd in the foreground listening on $SSHD_LISTEN (address:port, default 0.0.0.0:22), logging to stderr.
set -e
gid=$(stat -c %g /var/run/docker.sock 2>/dev/null || echo 65534)
sed -i '/^docker:/d' /etc/group
echo "deploy:*:1000:1000:deploy:/home/deploy:/bin/sh" >>/etc/passwd
printf 'deploy:x:1000:\ndocker:x:%s:deploy\n' "$gid" >>/etc/group
mkdir -p /home/deploy/.ssh
printf '%s\n' "$AUTHORIZED_KEYS" >/home/deploy/.ssh/authorized_keys
chmod 755 /home/deploy; chmod 700 /home/deploy/.ssh; chmod 600 /home/deploy/.ssh/authorized_keys
chown -R 1000:1000 /home/deploy
ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key
exec /usr/sbin/sshd -D -e -o "ListenAddress=${SSHD_LISTEN:-0.0.0.0:22}"
SCRIPT
  chmod 755 "$r/usr/local/bin/deploy-host"
  tar -C "$r" -c . | docker_cli import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["sh"]' - relais-test/ssh:latest >/dev/null
  rm -rf "$r"
}

# A plain-HTTP registry on loopback (Docker allows that for 127.0.0.0/8), for the pull tests.
registry_port="${RELAIS_TEST_REGISTRY_PORT:-5055}"
if ! (exec 3<>"/dev/tcp/127.0.0.1/$registry_port") 2>/dev/null; then
  mkdir -p /tmp/relais-registry
  printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: /tmp/relais-registry/data}}\nhttp: {addr: 127.0.0.1:%s}\n' \
    "$registry_port" >/tmp/relais-registry/config.yml
  log "starting docker-registry on 127.0.0.1:$registry_port"
  setsid nohup docker-registry serve /tmp/relais-registry/config.yml >>/tmp/relais-registry/registry.log 2>&1 </dev/null &
fi

has_image relais-test/busybox:latest || { log "building relais-test/busybox:latest"; build_busybox; }
has_image relais-test/debian:bookworm || { log "building relais-test/debian:bookworm"; build_debian; }
has_image relais-test/dind:latest || { log "building relais-test/dind:latest"; build_dind; }
has_image relais-test/docker:latest || { log "building relais-test/docker:latest"; build_docker_cli; }
has_image relais-test/ssh:latest || { log "building relais-test/ssh:latest"; build_ssh; }
echo "RELAIS_TEST_DOCKER=1"
