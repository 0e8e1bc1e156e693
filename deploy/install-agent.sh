#!/usr/bin/env bash
# install-agent.sh: installs (or upgrades in place) the Drover agent on a Debian or Ubuntu host and
# starts it under systemd.
#
#   install-agent.sh --server HOST:PORT --labels KEY=VALUE,... --tarball PATH_OR_URL
#                    --token TOKEN --ca-fingerprint SHA256
#                    [--name NAME] [--ingress ADDR] [--java-home DIR] [--root DIR]
#
#   --server     the Drover server's gRPC address, e.g. drover.example.com:7070
#   --token      an enrollment token (drover token create --enroll); used on the first start only
#   --ca-fingerprint  the SHA-256 fingerprint of the server's CA (the server logs it)
#   --labels     this host's labels, e.g. role=web,zone=a (at least one)
#   --tarball    the release tarball drover-VERSION.tar.gz, a path or an http(s) URL
#   --name       this host's name in the fleet (default: the host name)
#   --ingress    host:port where nginx serves the apps (default: 0.0.0.0:80)
#   --java-home  a JDK or JRE >= 21 to run the agent with (default: found on PATH or under
#                /usr/lib/jvm, else installed from the OS packages when they have one)
#   --root DIR   install under DIR instead of / (for tests): everything is written under DIR, and
#                apt-get and systemctl are printed instead of run
#
# What it does: installs nginx, supervisor, gunicorn, python3-flask, python3-venv and a Java >= 21
# when missing; unpacks the tarball to /opt/drover; writes /etc/drover/agent.env (mode 0600) and
# /etc/systemd/system/drover-agent.service; then systemctl daemon-reload and enable --now (restart
# when upgrading). Running it again upgrades in place; DROVER_AGENT_ARGS, JAVA_HOME and
# DROVER_JAVA_OPTS edited in agent.env are kept.
set -euo pipefail

PACKAGES=(nginx supervisor gunicorn python3-flask python3-venv)
JAVA_PACKAGES=(openjdk-25-jre-headless openjdk-21-jre-headless)

die() { echo "install-agent: $*" >&2; exit 1; }
previous_early() { # VAR's value in an existing /etc/drover/agent.env (for upgrades), or nothing
  local f="${root:-}/etc/drover/agent.env"
  [[ -f "$f" ]] && sed -n "s/^$1=//p" "$f" | tail -n1
  return 0
}
say() { echo "install-agent: $*"; }
usage() { sed -n '2,19s/^# \{0,1\}//p' "$0"; }

server="" labels="" tarball="" name="" ingress="0.0.0.0:80" java_home="" root="" token="" ca_fingerprint=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --server|--labels|--tarball|--name|--ingress|--java-home|--root|--token|--ca-fingerprint)
      [[ $# -ge 2 ]] || die "$1 needs a value"
      case "$1" in
        --server) server="$2" ;;
        --labels) labels="$2" ;;
        --tarball) tarball="$2" ;;
        --name) name="$2" ;;
        --ingress) ingress="$2" ;;
        --java-home) java_home="$2" ;;
        --root) root="$2" ;;
        --token) token="$2" ;;
        --ca-fingerprint) ca_fingerprint="$2" ;;
      esac
      shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

[[ -n "$server" ]] || die "--server HOST:PORT is required"
[[ -n "$labels" ]] || die "--labels KEY=VALUE,... is required (at least one label, e.g. role=web)"
[[ -n "$tarball" ]] || die "--tarball PATH_OR_URL is required (the release drover-VERSION.tar.gz)"
[[ -n "$name" ]] || name="$(hostname)"
[[ -n "$token" ]] || token="$(previous_early DROVER_ENROLL_TOKEN)"
[[ -n "$ca_fingerprint" ]] || ca_fingerprint="$(previous_early DROVER_CA_FINGERPRINT)"
[[ -n "$ca_fingerprint" ]] || die "--ca-fingerprint SHA256 is required (the server logs its CA fingerprint)"
[[ "$ca_fingerprint" =~ ^[0-9A-Fa-f:]+$ ]] || die "--ca-fingerprint: '$ca_fingerprint' is not a hex SHA-256"
[[ "$token" =~ ^[A-Za-z0-9_]*$ ]] || die "--token: '$token' is not an enrollment token"
server_re='^[][A-Za-z0-9.:_-]+:[0-9]+$'
[[ "$server" =~ $server_re ]] || die "--server: '$server' is not HOST:PORT"
[[ "$ingress" =~ $server_re ]] || die "--ingress: '$ingress' is not HOST:PORT"
[[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "--name: '$name' may hold only letters, digits, '.', '_' and '-'"
[[ "$labels" =~ ^[A-Za-z0-9._/-]+=[A-Za-z0-9._/-]*(,[A-Za-z0-9._/-]+=[A-Za-z0-9._/-]*)*$ ]] \
  || die "--labels: '$labels' is not KEY=VALUE[,KEY=VALUE...] (letters, digits, '.', '_', '/', '-')"
if [[ -n "$root" ]]; then
  mkdir -p "$root" || die "--root: cannot create $root"
  root="$(cd "$root" && pwd)"
  [[ "$root" != / ]] || root=""
elif [[ "$(id -u)" -ne 0 ]]; then
  die "must run as root (it installs packages and writes /opt, /etc and systemd units); or use --root DIR"
fi

opt_dir="$root/opt/drover"
env_file="$root/etc/drover/agent.env"
unit_file="$root/etc/systemd/system/drover-agent.service"

# Runs a command on the host, or only prints it when installing under --root.
host_run() {
  if [[ -n "$root" ]]; then
    say "would run: $*"
  else
    say "running: $*"
    "$@"
  fi
}

java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

usable_java() { # true when $1 is an executable java >= 21
  [[ -x "$1" ]] || return 1
  local major
  major="$(java_major "$1")"
  [[ -n "$major" && "$major" -ge 21 ]]
}

find_java() { # prints a java >= 21 on this host, or nothing
  local candidate
  if [[ -n "$java_home" ]]; then
    usable_java "$java_home/bin/java" && echo "$java_home/bin/java"
    return 0
  fi
  candidate="$(command -v java || true)"
  if [[ -n "$candidate" ]] && usable_java "$candidate"; then echo "$candidate"; return 0; fi
  for candidate in /usr/lib/jvm/*/bin/java; do
    if usable_java "$candidate"; then echo "$candidate"; return 0; fi
  done
}

installed() { # true when the Debian package $1 is installed
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

has_candidate() { # true when apt can install the package $1
  local candidate
  candidate="$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p')"
  [[ -n "$candidate" && "$candidate" != "(none)" ]]
}

# 1. OS packages
command -v dpkg-query >/dev/null 2>&1 || die "this script needs a Debian or Ubuntu host (no dpkg-query found)"
missing=()
for pkg in "${PACKAGES[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  host_run apt-get update -q
  host_run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
else
  say "packages present: ${PACKAGES[*]}"
fi

# 2. Java >= 21
java="$(find_java)"
if [[ -n "$java_home" && -z "$java" ]]; then
  die "--java-home: $java_home/bin/java is not a Java 21 or newer"
fi
if [[ -z "$java" ]]; then
  [[ -n "$root" ]] || apt-get update -q >/dev/null
  java_pkg=""
  for pkg in "${JAVA_PACKAGES[@]}"; do
    if has_candidate "$pkg"; then java_pkg="$pkg"; break; fi
  done
  if [[ -z "$java_pkg" ]]; then
    msg="no Java 21 or newer is installed, and this OS's packages have none (${JAVA_PACKAGES[*]} unavailable; Debian 12 ships only 17)."
    msg+=" Install one, e.g. Temurin 21 (https://adoptium.net/installation/linux/), then rerun with --java-home DIR."
    [[ -n "$root" ]] || die "$msg"
    say "warning: $msg"
  else
    host_run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$java_pkg"
  fi
else
  say "java: $java (version $(java_major "$java"))"
fi

# 3. The release, unpacked to /opt/drover (replacing the previous one)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [[ "$tarball" =~ ^https?:// ]]; then
  say "downloading $tarball"
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL -o "$work/drover.tar.gz" "$tarball" || die "cannot download $tarball"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$work/drover.tar.gz" "$tarball" || die "cannot download $tarball"
  else
    die "cannot download $tarball: neither curl nor wget is installed"
  fi
  tarball_file="$work/drover.tar.gz"
else
  [[ -f "$tarball" ]] || die "--tarball: no such file: $tarball"
  tarball_file="$tarball"
fi
mkdir -p "$work/unpacked"
tar -xzf "$tarball_file" -C "$work/unpacked" || die "cannot unpack $tarball (not a .tar.gz?)"
release="$(find "$work/unpacked" -mindepth 1 -maxdepth 1 -type d -name 'drover-*' | head -n1)"
[[ -n "$release" && -x "$release/bin/drover" && -f "$release/lib/drover.jar" ]] \
  || die "$tarball is not a Drover release: expected drover-VERSION/bin/drover and drover-VERSION/lib/drover.jar"
[[ -f "$release/systemd/drover-agent.service" ]] || die "$tarball has no systemd/drover-agent.service"

upgrade=no
[[ -d "$opt_dir" ]] && upgrade=yes
mkdir -p "$(dirname "$opt_dir")"
staged="$opt_dir.new"
rm -rf "$staged" "$opt_dir.old"
cp -a "$release" "$staged"
chown -R root:root "$staged" 2>/dev/null || true
[[ "$upgrade" == no ]] || mv "$opt_dir" "$opt_dir.old"
mv "$staged" "$opt_dir"
rm -rf "$opt_dir.old"
say "installed $(basename "$release") in $opt_dir"

# 4. /etc/drover/agent.env (mode 0600), keeping what an operator may have edited
previous() { # prints VAR's value in the current env file, or nothing
  [[ -f "$env_file" ]] && sed -n "s/^$1=//p" "$env_file" | tail -n1
  return 0
}
agent_args="$(previous DROVER_AGENT_ARGS)"
[[ -n "$java_home" ]] || java_home="$(previous JAVA_HOME)"
java_opts="$(previous DROVER_JAVA_OPTS)"
mkdir -p "$(dirname "$env_file")"
chmod 0755 "$(dirname "$env_file")"
(
  umask 077
  cat >"$env_file.tmp" <<EOF
# Written by install-agent.sh; see /opt/drover/conf/agent.env for what each variable means.
DROVER_SERVER=$server
DROVER_NAME=$name
DROVER_LABELS=$labels
DROVER_INGRESS=$ingress
DROVER_DATA_DIR=/var/lib/drover/agent
DROVER_AGENT_ARGS=$agent_args
DROVER_CA_FINGERPRINT=$ca_fingerprint
DROVER_ENROLL_TOKEN=$token
EOF
  [[ -z "$java_home" ]] || echo "JAVA_HOME=$java_home" >>"$env_file.tmp"
  [[ -z "$java_opts" ]] || echo "DROVER_JAVA_OPTS=$java_opts" >>"$env_file.tmp"
)
chmod 0600 "$env_file.tmp"
mv "$env_file.tmp" "$env_file"
say "wrote $env_file"

# 5. The systemd unit, and start (or restart after an upgrade)
mkdir -p "$(dirname "$unit_file")"
install -m 0644 "$release/systemd/drover-agent.service" "$unit_file"
say "wrote $unit_file"
host_run systemctl daemon-reload
host_run systemctl enable --now nginx supervisor
if [[ "$upgrade" == yes ]]; then
  host_run systemctl enable drover-agent
  host_run systemctl restart drover-agent
else
  host_run systemctl enable --now drover-agent
fi
say "done: agent $name ($labels) dials $server; logs: journalctl -u drover-agent -f"
