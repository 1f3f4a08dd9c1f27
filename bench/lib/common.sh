# Shared by compare-plan.sh and compare-run.sh (sourced, not run): where things are, and the
# one-time setup that must happen before anything is timed.
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$bench/.." && pwd)"
work="${BENCH_WORK:-$bench/.work}"
results="$bench/results"                      # git-ignored
peers="$bench/.peers"                         # git-ignored; bench/peers/install.sh fills it
node="$peers/node_modules/.bin/node"
gcl="$peers/bin/gitlab-ci-local"
stamp="$(date -u +%Y%m%d-%H%M%S)"

say() { printf '%s\n' "$*" >&2; }

# gitlab-ci-local takes every GCL_* environment variable as a command-line option (GCL_FOO=1 is
# --foo): clear them so that the peer runs with the flags written here and nothing else.
for v in $(compgen -e | grep '^GCL_' || true); do
  say "bench: ignoring $v (gitlab-ci-local would take it as an option)"
  unset "$v"
done

# Debian packages the comparisons use: hyperfine (timing), rsync (gitlab-ci-local copies the checkout with it).
need_packages() {
  local missing=()
  for cmd in "$@"; do command -v "$cmd" >/dev/null || missing+=("$cmd"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    say "bench: ${missing[*]} missing; install with: sudo apt-get install -y ${missing[*]}"; exit 1
  fi
  say "bench: installing ${missing[*]} from Debian ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
}

need_peers() { "$bench/peers/install.sh" >&2; }

need_repos() {
  if [ ! -f "$work/big/.gitlab-ci.yml" ] || [ ! -f "$work/tiny-flat/.gitlab-ci.yml" ] || [ ! -f "$work/tiny-chain/.gitlab-ci.yml" ]; then
    "$bench/gen/generate.sh" --out "$work" >&2
  fi
}

# Builds the CLI once (./relais publishes on first use), so no timed run pays for a build.
build_relais() {
  local log="$results/relais-build-$stamp.log"
  if ! "$root/relais" --version >/dev/null 2>"$log"; then
    say "bench: ./relais does not build (see $log)"; exit 1
  fi
  rm -f "$log"
}

# probe DIR CMD...: runs CMD once in DIR, untimed, to check it works before hyperfine times it.
# Sets probe_rc, probe_err (its first stderr lines) and probe_out (a file with its stdout).
probe_dir="$(mktemp -d)"
trap 'rm -rf "$probe_dir"' EXIT
probe() {
  local dir="$1"; shift
  probe_out="$probe_dir/out"
  set +e
  (cd "$dir" && "$@" >"$probe_out" 2>"$probe_dir/err")
  probe_rc=$?
  set -e
  probe_err="$( (grep -v '^[[:space:]]*$' "$probe_dir/err" || true) | head -3 | tr '\n' ' ')"
}

# Timings on a busy machine are noise: say so next to the numbers.
load_check() {
  local load cores
  load="$(cut -d' ' -f1 /proc/loadavg)"; cores="$(nproc)"
  echo "machine: $cores cores, load average $load at $(date -u +%H:%M:%SZ)"
  if awk -v l="$load" -v c="$cores" 'BEGIN { exit !(l > c / 2) }'; then
    echo "WARNING: the machine is busy (load $load on $cores cores): these numbers are inflated and noisy; rerun when it is quiet."
  fi
}
