#!/usr/bin/env bash
# berth test sandbox: a private dockerd, two registries (open + htpasswd), nginx and a set of
# busybox test images, all under one state directory and listening on loopback only.
#
#   tests/sandbox/sandbox.sh up       start everything (idempotent; fast when already up)
#   tests/sandbox/sandbox.sh down     stop what `up` started (by PID) and remove the state dir
#   tests/sandbox/sandbox.sh env      print `export` lines for the sandbox (also in $D/env)
#   tests/sandbox/sandbox.sh status   report each service up/down (exit 1 if any is down)
#
# Settings (environment):
#   BERTH_SANDBOX_DIR            state dir (default /tmp/berth-sandbox); must be absolute
#   BERTH_SANDBOX_REGISTRY_PORT  open registry port        (default 15000)
#   BERTH_SANDBOX_AUTH_REGISTRY_PORT  htpasswd registry port (default 15001)
#   BERTH_SANDBOX_NGINX_PORT     nginx port                (default 18080)
#   BERTH_SANDBOX_OIDC_PORT      OIDC provider port        (default 15002)
#   BERTH_SANDBOX_DOCKER_TLS_PORT  dockerd's loopback tcp+TLS port, client certificate
#                                required                  (default 12376)
#   BERTH_SANDBOX_PRIVATE_CONTAINERD=1  always run a containerd of our own (automatic when a
#                                system containerd listens on /run/containerd/containerd.sock)
#   BERTH_SANDBOX_DOCKER_CLI     docker CLI to use (default /usr/bin/docker from docker.io, which
#                                matches the daemon; another `docker` on PATH may be much newer)
#
# Test images (repository berth-test/app, pushed to both registries as <registry>/berth-test/app):
#   v1, v2, v3  busybox httpd on :8080; GET / -> "v1" (exactly the tag, no newline),
#               GET /healthz -> 200 "ok". Each version has different content, hence a different digest.
#   unhealthy   serves GET / -> "unhealthy" but /healthz is missing -> 404
#   crash       writes a line to stderr and exits at once with code 3
#   slow        sleeps START_DELAY seconds (default 5) before serving like v1 ("slow")
# All serving images accept env PORT (default 8080) and START_DELAY, exit 0 on SIGTERM, and
# EXPOSE 8080.
#
# dockerd also listens on tcp://127.0.0.1:$BERTH_SANDBOX_DOCKER_TLS_PORT with --tlsverify: a
# throwaway CA, server and client certificate are made once per sandbox with openssl in
# $D/tls/ (Docker's layout: ca.pem, server-cert.pem, server-key.pem; client/ holds ca.pem,
# cert.pem, key.pem, i.e. a DOCKER_CERT_PATH).
#
# Apt packages needed: docker.io docker-registry nginx-light busybox-static apache2-utils curl
# openssl
#
# Never touches /var/run/docker.sock, the system nginx or anything this script did not start.
set -euo pipefail

readonly D="${BERTH_SANDBOX_DIR:-/tmp/berth-sandbox}"
readonly REGISTRY_PORT="${BERTH_SANDBOX_REGISTRY_PORT:-15000}"
readonly AUTH_REGISTRY_PORT="${BERTH_SANDBOX_AUTH_REGISTRY_PORT:-15001}"
readonly NGINX_PORT="${BERTH_SANDBOX_NGINX_PORT:-18080}"
readonly DOCKER_TLS_PORT="${BERTH_SANDBOX_DOCKER_TLS_PORT:-12376}"
readonly OIDC_PORT="${BERTH_SANDBOX_OIDC_PORT:-15002}"
readonly OIDC_ADDR="127.0.0.1:${OIDC_PORT}"
OIDC_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/oidc"
readonly OIDC_SRC
readonly AUTH_USER="berth-test"
readonly IMAGE_REPO="berth-test/app"
readonly IMAGE_TAGS="v1 v2 v3 unhealthy crash slow"
readonly REGISTRY="127.0.0.1:${REGISTRY_PORT}"
readonly AUTH_REGISTRY="127.0.0.1:${AUTH_REGISTRY_PORT}"
readonly NGINX_ADDR="127.0.0.1:${NGINX_PORT}"
readonly DOCKER_SOCK="$D/docker.sock"
readonly DOCKER_TLS_ADDR="127.0.0.1:${DOCKER_TLS_PORT}"
readonly TLS_DIR="$D/tls"
readonly MARKER="$D/.berth-sandbox"
readonly MANIFEST_V2="application/vnd.docker.distribution.manifest.v2+json"

if [[ -n "${BERTH_SANDBOX_DOCKER_CLI:-}" ]]; then
  DOCKER_CLI="$BERTH_SANDBOX_DOCKER_CLI"
elif [[ -x /usr/bin/docker ]]; then
  DOCKER_CLI=/usr/bin/docker
else
  DOCKER_CLI="$(command -v docker || echo docker)"
fi
readonly DOCKER_CLI
NGINX_BIN="$(PATH="$PATH:/usr/sbin:/sbin" command -v nginx || echo /usr/sbin/nginx)"
DOCKERD_BIN="$(PATH="$PATH:/usr/sbin:/sbin" command -v dockerd || echo /usr/sbin/dockerd)"
readonly NGINX_BIN DOCKERD_BIN
readonly NGINX_FLAGS="-p $D/nginx/ -c $D/nginx/nginx.conf"

log() { printf 'sandbox: %s\n' "$*" >&2; }
die() {
  printf 'sandbox: ERROR: %s\n' "$*" >&2
  exit 1
}

# Print the last lines of a log file, indented, for failure messages.
log_tail() {
  local file="$1"
  if [[ -f "$file" ]]; then
    printf 'sandbox: --- last lines of %s ---\n' "$file" >&2
    tail -n 25 "$file" | sed 's/^/  | /' >&2
  fi
}

fail_service() { # SERVICE LOGFILE MESSAGE
  printf 'sandbox: ERROR: %s: %s\n' "$1" "$3" >&2
  log_tail "$2"
  exit 1
}

check_dir() {
  [[ "$D" == /* ]] || die "BERTH_SANDBOX_DIR must be an absolute path (got '$D')"
  [[ "$D" != "/" && "$D" != *[[:space:]]* ]] || die "refusing BERTH_SANDBOX_DIR='$D'"
}

# docker CLI against the sandbox daemon only, with a private client config.
dk() { DOCKER_HOST="unix://$DOCKER_SOCK" DOCKER_CONFIG="$D/docker-config" "$DOCKER_CLI" "$@"; }

dk_timeout() { # SECONDS ARGS...
  local t="$1"
  shift
  timeout "$t" env DOCKER_HOST="unix://$DOCKER_SOCK" DOCKER_CONFIG="$D/docker-config" \
    "$DOCKER_CLI" "$@"
}

# pid_alive PIDFILE NAME: true if the pidfile names a live (non-zombie) process whose command
# line contains NAME and this sandbox's directory. That guards against a recycled PID, e.g. a
# stale pidfile now naming somebody else's nginx: every service here has $D/ in its arguments.
pid_alive() {
  local pidfile="$1" name="$2" pid cmd
  [[ -s "$pidfile" ]] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [[ -n "$pid" ]] && proc_running "$pid" || return 1
  cmd="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" || return 1
  [[ "$cmd" == *"$name"* && "$cmd" == *"$D/"* ]]
}

pid_of() { tr -dc '0-9' <"$1"; }

# wait_until TIMEOUT_SECONDS COMMAND...: poll every 0.1 s until COMMAND succeeds.
wait_until() {
  local timeout="$1" deadline
  shift
  deadline=$((SECONDS + timeout))
  while ! "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# wait_while_alive PID TIMEOUT COMMAND...: like wait_until, but gives up at once when the
# process PID (the service being waited for) has exited.
wait_while_alive() {
  local pid="$1" timeout="$2" deadline
  shift 2
  deadline=$((SECONDS + timeout))
  while ! "$@" >/dev/null 2>&1; do
    proc_running "$pid" || return 2
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_ok() { curl -fsS --max-time 2 -o /dev/null "$@"; }
docker_ping() { curl -fsS --max-time 2 --unix-socket "$DOCKER_SOCK" -o /dev/null http://docker/_ping; }
# The same over the TLS port, with the client certificate (as a DOCKER_CERT_PATH user would).
docker_tls_ping() {
  curl -fsS --max-time 2 --cacert "$TLS_DIR/client/ca.pem" --cert "$TLS_DIR/client/cert.pem" \
    --key "$TLS_DIR/client/key.pem" -o /dev/null "https://$DOCKER_TLS_ADDR/_ping"
}

# stop_pid PID NAME: TERM, wait up to 20 s, then KILL and wait up to 5 s more.
stop_pid() {
  local pid="$1" name="$2" i
  [[ -n "$pid" && -d "/proc/$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 200; i++)); do
    proc_running "$pid" || return 0
    sleep 0.1
  done
  log "$name (pid $pid) did not stop after SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    proc_running "$pid" || return 0
    sleep 0.1
  done
  log "WARNING: $name (pid $pid) still present after SIGKILL"
}

proc_running() {
  local state
  [[ -r "/proc/$1/stat" ]] || return 1
  state="$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [[ -n "$state" && "$state" != "Z" && "$state" != "X" ]]
}

# stop_session_leftovers SID COMM: stop processes named COMM in session SID. nginx's master
# (started daemonized, so it leads its own session) may have died without its workers, which
# would keep the port busy; they are still recognisable by the master's session id.
stop_session_leftovers() {
  local sid="$1" comm="$2" stat pid
  local -a f
  [[ "$sid" =~ ^[0-9]+$ ]] || return 0
  for stat in /proc/[0-9]*/stat; do
    pid="${stat#/proc/}"
    pid="${pid%/stat}"
    # Fields after "(comm) ": state ppid pgrp session ...
    read -r -a f < <(sed 's/^.*) //' "$stat" 2>/dev/null) || continue
    [[ "${f[3]:-}" == "$sid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$comm" ]] || continue
    proc_running "$pid" || continue  # a zombie awaiting its reaper is already gone
    log "stopping leftover $comm (pid $pid, session $sid)"
    stop_pid "$pid" "$comm"
  done
}

# stop_pidfile PIDFILE NAME: stop the process named in PIDFILE if it is still the one we started.
stop_pidfile() {
  local pidfile="$1" name="$2"
  if pid_alive "$pidfile" "$name"; then
    log "stopping $name (pid $(pid_of "$pidfile"))"
    stop_pid "$(pid_of "$pidfile")" "$name"
  fi
  rm -f "$pidfile"
}

# ---------------------------------------------------------------------------------------------
# dockerd

# Set to 0 when a dockerd that was already running does not answer over TLS.
TLS_UP=1

# check_running_tls: for a dockerd that was already running. One started by an older
# sandbox.sh (or with another BERTH_SANDBOX_DOCKER_TLS_PORT) has no TLS listener here; it is
# not restarted behind the back of whoever uses it: the TLS settings are left out of $D/env
# instead, so the TLS tests skip with a hint, and `status` reports dockerd-tls down.
check_running_tls() {
  if ! docker_tls_ping; then
    TLS_UP=0
    log "WARNING: the running dockerd does not answer over TLS on $DOCKER_TLS_ADDR (started" \
      "by an older sandbox.sh or with another BERTH_SANDBOX_DOCKER_TLS_PORT); leaving" \
      "BERTH_SANDBOX_DOCKER_TLS_HOST out of $D/env. Run '$0 down' and '$0 up' to get it."
  fi
}

start_dockerd() {
  if pid_alive "$D/docker.pid" dockerd && docker_ping; then
    log "dockerd already running (pid $(pid_of "$D/docker.pid"))"
    check_running_tls
    return
  fi
  if pid_alive "$D/docker.pid" dockerd; then
    # Alive but not answering: wait a little (it may be starting), else give up loudly.
    wait_until 30 docker_ping || fail_service dockerd "$D/dockerd.log" "running but /_ping fails"
    wait_until 10 docker_tls_ping || true
    check_running_tls
    return
  fi
  port_in_use "$DOCKER_TLS_PORT" &&
    die "dockerd: TLS port $DOCKER_TLS_ADDR is already in use by another process" \
      "(set BERTH_SANDBOX_DOCKER_TLS_PORT)"
  rm -f "$D/docker.pid" "$DOCKER_SOCK"
  mkdir -p "$D/data" "$D/exec"
  log "starting dockerd (socket $DOCKER_SOCK)"
  # --bridge=none: no default docker0 bridge; a second daemon on the machine would share or
  #   clash with it. Containers join user-defined networks, which tests create.
  # --iptables=false --ip6tables=false --ip-forward=false: leave the host firewall and
  #   net.ipv4.ip_forward alone. With the defaults dockerd adds DOCKER-* chains, sets the
  #   FORWARD policy to DROP and turns on forwarding, which outlive `down`. Publishing on
  #   127.0.0.1 still works (docker-proxy, the userland proxy, forwards it), and so does
  #   container-to-container traffic and name resolution on a user-defined network; containers
  #   merely cannot reach outside the machine (there is no network here anyway). `docker run`
  #   prints "WARNING: IPv4 forwarding is disabled" because of this; it is harmless.
  # -H tcp://127.0.0.1:PORT --tlsverify ...: a second listener, loopback only, that accepts only
  #   clients with a certificate from the sandbox CA ($TLS_DIR, see make_tls_certs), so the
  #   client's tcp+TLS (DOCKER_CERT_PATH) transport is tested against the real daemon.
  # Its containerd is started by dockerd itself (state under --exec-root/--data-root) unless
  # a system containerd is listening on /run/containerd/containerd.sock; see below.
  local extra=()
  if [[ -S /run/containerd/containerd.sock || "${BERTH_SANDBOX_PRIVATE_CONTAINERD:-0}" == 1 ]]; then
    start_containerd
    extra+=(--containerd "$D/containerd/containerd.sock")
  fi
  setsid "$DOCKERD_BIN" \
    --data-root "$D/data" \
    --exec-root "$D/exec" \
    --pidfile "$D/docker.pid" \
    -H "unix://$DOCKER_SOCK" \
    -H "tcp://$DOCKER_TLS_ADDR" \
    --tlsverify --tlscacert "$TLS_DIR/ca.pem" \
    --tlscert "$TLS_DIR/server-cert.pem" --tlskey "$TLS_DIR/server-key.pem" \
    --bridge=none \
    --iptables=false --ip6tables=false --ip-forward=false \
    --config-file "$D/daemon.json" \
    "${extra[@]}" \
    </dev/null >"$D/dockerd.log" 2>&1 &
  echo $! >"$D/dockerd.launch.pid"
  local rc=0
  wait_while_alive "$(pid_of "$D/dockerd.launch.pid")" 60 docker_ping || rc=$?
  case "$rc" in
    0) ;;
    2) fail_service dockerd "$D/dockerd.log" "exited during start-up" ;;
    *) fail_service dockerd "$D/dockerd.log" "did not answer GET /_ping on $DOCKER_SOCK within 60 s" ;;
  esac
  wait_until 10 docker_tls_ping ||
    fail_service dockerd "$D/dockerd.log" \
      "does not answer GET /_ping over TLS on $DOCKER_TLS_ADDR (client certificate $TLS_DIR/client)"
  log "dockerd ready ($(dk version --format '{{.Server.Version}} API {{.Server.APIVersion}}' 2>/dev/null || echo '?'))"
}

# make_tls_certs: once per sandbox (kept until `down` removes $D), a throwaway CA, a server
# certificate for 127.0.0.1/localhost and a client certificate, in Docker's layout:
#   $TLS_DIR/ca.pem ca-key.pem server-cert.pem server-key.pem   (dockerd's --tls* flags)
#   $TLS_DIR/client/ca.pem cert.pem key.pem                     (a DOCKER_CERT_PATH)
# EC P-256 keys, valid 10 years. Made in $D/tls.tmp and renamed, so an interrupted run leaves
# no half set behind.
make_tls_certs() {
  local t="$TLS_DIR" f
  local missing=0
  for f in ca.pem server-cert.pem server-key.pem client/ca.pem client/cert.pem client/key.pem; do
    [[ -s "$t/$f" ]] || missing=1
  done
  ((missing == 0)) && return 0
  command -v openssl >/dev/null || die "tls: openssl not found (apt-get install openssl)"
  local w="$D/tls.tmp"
  rm -rf "$w"
  mkdir -p "$w/client"
  cat >"$w/openssl.cnf" <<'EOF'
# berth sandbox: extensions for the throwaway CA and its server and client certificates.
[req]
distinguished_name = dn
prompt = no
[dn]
CN = berth sandbox
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
  ossl() {
    openssl "$@" >>"$w/openssl.log" 2>&1 || fail_service tls "$w/openssl.log" "openssl $1 failed"
  }
  serial() { printf '0x%s' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"; }
  local key=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  log "tls: making a throwaway CA, server and client certificate in $t"
  ossl req -x509 -new -config "$w/openssl.cnf" -extensions ca_ext "${key[@]}" \
    -keyout "$w/ca-key.pem" -out "$w/ca.pem" -days 3650 -subj "/CN=berth sandbox CA"
  ossl req -new -config "$w/openssl.cnf" "${key[@]}" -keyout "$w/server-key.pem" \
    -out "$w/server.csr" -subj "/CN=localhost"
  ossl x509 -req -in "$w/server.csr" -CA "$w/ca.pem" -CAkey "$w/ca-key.pem" \
    -set_serial "$(serial)" -days 3650 -extfile "$w/openssl.cnf" -extensions server_ext \
    -out "$w/server-cert.pem"
  ossl req -new -config "$w/openssl.cnf" "${key[@]}" -keyout "$w/client/key.pem" \
    -out "$w/client.csr" -subj "/CN=berth sandbox client"
  ossl x509 -req -in "$w/client.csr" -CA "$w/ca.pem" -CAkey "$w/ca-key.pem" \
    -set_serial "$(serial)" -days 3650 -extfile "$w/openssl.cnf" -extensions client_ext \
    -out "$w/client/cert.pem"
  cp "$w/ca.pem" "$w/client/ca.pem"
  rm -f "$w/server.csr" "$w/client.csr"
  chmod 600 "$w/ca-key.pem" "$w/server-key.pem" "$w/client/key.pem"
  chmod 644 "$w/ca.pem" "$w/server-cert.pem" "$w/client/ca.pem" "$w/client/cert.pem"
  rm -rf "$t"
  mv "$w" "$t"
}

# Only when a system containerd exists: dockerd would otherwise attach to it (and share its
# "moby" namespace with any other daemon using it), so run a private one instead.
start_containerd() {
  local c="$D/containerd"
  mkdir -p "$c"
  if pid_alive "$c/containerd.pid" containerd; then return; fi
  cat >"$c/config.toml" <<EOF
version = 2
root = "$c/root"
state = "$c/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$c/containerd.sock"
[ttrpc]
  address = "$c/containerd.sock.ttrpc"
[debug]
  address = ""
EOF
  log "starting a private containerd (system containerd present or BERTH_SANDBOX_PRIVATE_CONTAINERD=1)"
  setsid containerd --config "$c/config.toml" </dev/null >"$D/containerd.log" 2>&1 &
  echo $! >"$c/containerd.pid"
  wait_until 20 test -S "$c/containerd.sock" ||
    fail_service containerd "$D/containerd.log" "socket $c/containerd.sock did not appear"
}

# ---------------------------------------------------------------------------------------------
# registries

write_registry_config() { # NAME PORT AUTH(0|1)
  local name="$1" port="$2" auth="$3" cfg="$D/$1/config.yml"
  mkdir -p "$D/$name/storage"
  cat >"$cfg" <<EOF
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $D/$name/storage
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$port
  secret: berth-sandbox-$name
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  if [[ "$auth" == 1 ]]; then
    cat >>"$cfg" <<EOF
auth:
  htpasswd:
    realm: berth-sandbox
    path: $D/$name/htpasswd
EOF
  fi
}

start_registry() { # NAME PORT AUTH(0|1)
  local name="$1" port="$2" auth="$3"
  if pid_alive "$D/$name/registry.pid" docker-registry; then
    log "$name already running on 127.0.0.1:$port (pid $(pid_of "$D/$name/registry.pid"))"
    return
  fi
  port_in_use "$port" && die "$name: port 127.0.0.1:$port is already in use by another process" \
    "(set BERTH_SANDBOX_$( [[ $auth == 1 ]] && echo AUTH_)REGISTRY_PORT)"
  write_registry_config "$name" "$port" "$auth"
  if [[ "$auth" == 1 ]]; then
    htpasswd -Bbn "$AUTH_USER" "$(auth_password)" >"$D/$name/htpasswd" 2>/dev/null ||
      die "$name: htpasswd failed (is apache2-utils installed?)"
  fi
  log "starting $name on 127.0.0.1:$port"
  setsid docker-registry serve "$D/$name/config.yml" </dev/null >"$D/$name/registry.log" 2>&1 &
  echo $! >"$D/$name/registry.pid"
  # /v2/ answers 200 (open) or 401 (auth): any HTTP answer means it is serving.
  local rc=0
  wait_while_alive "$(pid_of "$D/$name/registry.pid")" 30 \
    curl -sS --max-time 2 -o /dev/null "http://127.0.0.1:$port/v2/" || rc=$?
  case "$rc" in
    0) ;;
    2) fail_service "$name" "$D/$name/registry.log" "exited during start-up" ;;
    *) fail_service "$name" "$D/$name/registry.log" "did not answer on 127.0.0.1:$port within 30 s" ;;
  esac
}

auth_password() {
  if [[ ! -s "$D/auth-password" ]]; then
    # hex only, so it needs no quoting anywhere
    od -An -N12 -tx1 /dev/urandom | tr -d ' \n' >"$D/auth-password"
  fi
  cat "$D/auth-password"
}

# ---------------------------------------------------------------------------------------------
# nginx

write_nginx_config() {
  local n="$D/nginx"
  mkdir -p "$n/conf.d" "$n/html" "$n/logs" "$n/tmp"
  chmod 755 "$n" "$n/html"
  printf 'berth sandbox nginx\n' >"$n/html/index.html"
  chmod 644 "$n/html/index.html"
  cat >"$n/nginx.conf" <<EOF
# berth sandbox nginx: own prefix ($n/), loopback only. Proxy tests write *.conf into conf.d/.
daemon on;
worker_processes 1;
pid $n/nginx.pid;
error_log $n/logs/error.log info;
events { worker_connections 256; }
http {
  default_type text/plain;
  access_log $n/logs/access.log;
  client_body_temp_path $n/tmp/client_body;
  proxy_temp_path $n/tmp/proxy;
  fastcgi_temp_path $n/tmp/fastcgi;
  uwsgi_temp_path $n/tmp/uwsgi;
  scgi_temp_path $n/tmp/scgi;
  server {
    listen $NGINX_ADDR default_server;
    server_name _;
    location = /healthz { return 200 "ok\n"; }
    location / { root $n/html; index index.html; default_type text/html; }
  }
  include $n/conf.d/*.conf;
}
EOF
}

start_nginx() {
  if pid_alive "$D/nginx/nginx.pid" nginx; then
    log "nginx already running on $NGINX_ADDR (pid $(pid_of "$D/nginx/nginx.pid"))"
    return
  fi
  # A master that died (e.g. kill -9) leaves its workers holding the port.
  [[ -s "$D/nginx/nginx.pid" ]] && stop_session_leftovers "$(pid_of "$D/nginx/nginx.pid")" nginx
  port_in_use "$NGINX_PORT" &&
    die "nginx: port $NGINX_ADDR is already in use by another process (set BERTH_SANDBOX_NGINX_PORT)"
  write_nginx_config
  log "starting nginx on $NGINX_ADDR"
  # shellcheck disable=SC2086 # NGINX_FLAGS is a word list without spaces in paths
  "$NGINX_BIN" $NGINX_FLAGS -t >"$D/nginx/logs/test.log" 2>&1 ||
    fail_service nginx "$D/nginx/logs/test.log" "configuration test failed"
  # shellcheck disable=SC2086
  setsid "$NGINX_BIN" $NGINX_FLAGS </dev/null >"$D/nginx/logs/start.log" 2>&1 ||
    fail_service nginx "$D/nginx/logs/error.log" "failed to start"
  wait_until 20 http_ok "http://$NGINX_ADDR/healthz" ||
    fail_service nginx "$D/nginx/logs/error.log" "did not answer http://$NGINX_ADDR/healthz"
}

# The OIDC provider (tests/sandbox/oidc/provider.mjs, npm package oidc-provider installed by
# scripts/install-deps.sh). Without Node.js or the package the sandbox still comes up, without
# BERTH_SANDBOX_OIDC_ISSUER: OIDC tests then skip, or fail under CI=true.
OIDC_UP=0
start_oidc() {
  mkdir -p "$D/oidc"
  if pid_alive "$D/oidc/provider.pid" provider.mjs; then
    log "oidc provider already running on $OIDC_ADDR (pid $(pid_of "$D/oidc/provider.pid"))"
    OIDC_UP=1
    return
  fi
  if ! command -v node >/dev/null || [[ ! -d "$OIDC_SRC/node_modules/oidc-provider" ]]; then
    log "oidc provider: Node.js or $OIDC_SRC/node_modules missing (make deps); not started"
    return
  fi
  port_in_use "$OIDC_PORT" &&
    die "oidc provider: port $OIDC_ADDR is already in use by another process (set BERTH_SANDBOX_OIDC_PORT)"
  log "starting oidc provider on $OIDC_ADDR"
  # $D/oidc in the arguments lets pid_alive recognise it.
  setsid node "$OIDC_SRC/provider.mjs" "$OIDC_PORT" "$D/oidc" </dev/null >"$D/oidc/provider.log" 2>&1 &
  echo $! >"$D/oidc/provider.pid"
  local rc=0
  wait_while_alive "$(pid_of "$D/oidc/provider.pid")" 30 \
    http_ok "http://$OIDC_ADDR/.well-known/openid-configuration" || rc=$?
  case "$rc" in
    0) OIDC_UP=1 ;;
    2) fail_service "oidc provider" "$D/oidc/provider.log" "exited during start-up" ;;
    *) fail_service "oidc provider" "$D/oidc/provider.log" "did not answer on $OIDC_ADDR within 30 s" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# test images

# build_rootfs TAG DIR: a busybox-only root filesystem for one variant.
build_rootfs() {
  local tag="$1" root="$2" app
  rm -rf "$root"
  mkdir -p "$root"/{bin,www,etc,tmp,proc,sys,dev}
  cp /bin/busybox "$root/bin/busybox"
  for app in sh ash httpd sleep cat echo ls wget env true false kill ps; do
    ln -s busybox "$root/bin/$app"
  done
  printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  # The entrypoint: optional start delay, then httpd in the foreground under a shell that
  # exits 0 on SIGTERM (busybox httpd as PID 1 would ignore it and `docker stop` would wait
  # its full timeout).
  cat >"$root/bin/serve" <<'EOF'
#!/bin/sh
trap 'exit 0' TERM INT
if [ "${START_DELAY:-0}" != 0 ]; then
  echo "berth-test: waiting ${START_DELAY}s before serving" >&2
  sleep "$START_DELAY" &
  wait $!
fi
echo "berth-test: serving $(cat /www/index.html) on :${PORT:-8080}" >&2
/bin/busybox httpd -f -p "${PORT:-8080}" -h /www &
wait $!
EOF
  chmod 755 "$root/bin/serve"
  printf '%s' "$tag" >"$root/www/index.html"
  if [[ "$tag" != unhealthy && "$tag" != crash ]]; then
    printf 'ok\n' >"$root/www/healthz"
  fi
  printf 'berth-test image %s\n' "$tag" >"$root/etc/berth-test-variant"
}

import_image() { # TAG
  local tag="$1" root="$D/images/$1"
  local changes=(-c 'EXPOSE 8080' -c 'ENV PORT=8080' -c "LABEL berth.test.variant=$tag")
  case "$tag" in
    crash)
      changes+=(-c 'CMD ["/bin/sh", "-c", "echo berth-test crash image: exiting with code 3 >&2; exit 3"]')
      ;;
    slow)
      changes+=(-c 'ENV START_DELAY=5' -c 'CMD ["/bin/serve"]')
      ;;
    *)
      changes+=(-c 'CMD ["/bin/serve"]')
      ;;
  esac
  build_rootfs "$tag" "$root"
  tar -C "$root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - . |
    dk import "${changes[@]}" - "$IMAGE_REPO:$tag" >/dev/null ||
    fail_service images "$D/dockerd.log" "docker import of $IMAGE_REPO:$tag failed"
  rm -rf "$root"
}

# registry_digest REGISTRY TAG [CURL_AUTH...]: the Docker-Content-Digest of a manifest, or "".
registry_digest() {
  local reg="$1" tag="$2"
  shift 2
  curl -sS --max-time 5 -I -H "Accept: $MANIFEST_V2" "$@" \
    "http://$reg/v2/$IMAGE_REPO/manifests/$tag" 2>/dev/null |
    tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }'
}

# pushed REGISTRY TAG [CURL_AUTH...]: the registry holds the tag with the digest our daemon
# recorded when it pushed the local image.
pushed() {
  local reg="$1" tag="$2" digest
  shift 2
  digest="$(registry_digest "$reg" "$tag" "$@")"
  [[ -n "$digest" ]] || return 1
  dk image inspect --format '{{range .RepoDigests}}{{println .}}{{end}}' "$reg/$IMAGE_REPO:$tag" \
    2>/dev/null | grep -qx "$reg/$IMAGE_REPO@$digest"
}

prepare_images() {
  local tag reg curl_auth=(-u "$AUTH_USER:$(auth_password)") imported=0 pushed_count=0
  if ! busybox_is_static; then
    die "images: /bin/busybox is not statically linked; install Debian's busybox-static"
  fi
  # Log in to the auth registry with the sandbox's own client config.
  if ! grep -q "\"$AUTH_REGISTRY\"" "$D/docker-config/config.json" 2>/dev/null; then
    printf '%s' "$(auth_password)" |
      dk login --username "$AUTH_USER" --password-stdin "$AUTH_REGISTRY" >"$D/login.log" 2>&1 ||
      fail_service auth-registry "$D/login.log" "docker login $AUTH_REGISTRY failed"
  fi
  mkdir -p "$D/images"
  for tag in $IMAGE_TAGS; do
    if ! dk image inspect "$IMAGE_REPO:$tag" >/dev/null 2>&1; then
      import_image "$tag"
      imported=$((imported + 1))
    fi
    for reg in "$REGISTRY" "$AUTH_REGISTRY"; do
      local auth=()
      [[ "$reg" == "$AUTH_REGISTRY" ]] && auth=("${curl_auth[@]}")
      if pushed "$reg" "$tag" "${auth[@]}"; then continue; fi
      dk tag "$IMAGE_REPO:$tag" "$reg/$IMAGE_REPO:$tag"
      dk push "$reg/$IMAGE_REPO:$tag" >"$D/push.log" 2>&1 ||
        fail_service images "$D/push.log" "docker push $reg/$IMAGE_REPO:$tag failed"
      pushed_count=$((pushed_count + 1))
    done
  done
  log "images: $imported imported, $pushed_count pushed ($IMAGE_REPO:{${IMAGE_TAGS// /,}})"
}

busybox_is_static() {
  [[ -x /bin/busybox ]] || return 1
  # ldd (libc-bin) says "not a dynamic executable" and fails for a static binary.
  ! ldd /bin/busybox >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------
# env

env_lines() { # PASSWORD
  local nginx_cmd="$NGINX_BIN $NGINX_FLAGS"
  cat <<EOF
export BERTH_SANDBOX_DIR='$D'
export BERTH_SANDBOX_DOCKER_HOST='unix://$DOCKER_SOCK'
export BERTH_SANDBOX_DOCKER_CONFIG='$D/docker-config'
export BERTH_SANDBOX_DOCKER_CLI='$DOCKER_CLI'
EOF
  if [[ "$TLS_UP" == 1 ]]; then
    cat <<EOF
export BERTH_SANDBOX_DOCKER_TLS_HOST='tcp://$DOCKER_TLS_ADDR'
export BERTH_SANDBOX_DOCKER_CERT_PATH='$TLS_DIR/client'
EOF
  fi
  cat <<EOF
export BERTH_SANDBOX_REGISTRY='$REGISTRY'
export BERTH_SANDBOX_AUTH_REGISTRY='$AUTH_REGISTRY'
export BERTH_SANDBOX_AUTH_USER='$AUTH_USER'
export BERTH_SANDBOX_AUTH_PASSWORD='$1'
export BERTH_SANDBOX_NGINX='$NGINX_ADDR'
export BERTH_SANDBOX_NGINX_CONF_DIR='$D/nginx/conf.d'
export BERTH_SANDBOX_NGINX_TEST_CMD='$nginx_cmd -t'
export BERTH_SANDBOX_NGINX_RELOAD_CMD='$nginx_cmd -s reload'
export BERTH_SANDBOX_IMAGE_REPO='$IMAGE_REPO'
export BERTH_SANDBOX_IMAGE_TAGS='$IMAGE_TAGS'
export BERTH_SANDBOX_IMAGE_PORT='8080'
EOF
  if [[ "$OIDC_UP" == 1 ]]; then
    echo "export BERTH_SANDBOX_OIDC_ISSUER='http://$OIDC_ADDR'"
  fi
}

# ---------------------------------------------------------------------------------------------
# commands

cmd_up() {
  local start=$SECONDS
  check_dir
  if [[ -d "$D" && ! -e "$MARKER" ]] && [[ -n "$(ls -A "$D" 2>/dev/null)" ]]; then
    die "$D exists, is not empty and is not a berth sandbox; choose another BERTH_SANDBOX_DIR"
  fi
  mkdir -p "$D" "$D/docker-config"
  chmod 755 "$D"
  touch "$MARKER"
  [[ -s "$D/daemon.json" ]] || printf '{}\n' >"$D/daemon.json"
  [[ -s "$D/docker-config/config.json" ]] || printf '{"auths": {}}\n' >"$D/docker-config/config.json"
  make_tls_certs
  start_dockerd
  start_registry registry "$REGISTRY_PORT" 0
  start_registry auth-registry "$AUTH_REGISTRY_PORT" 1
  start_nginx
  start_oidc
  prepare_images
  env_lines "$(auth_password)" >"$D/env.tmp"
  mv "$D/env.tmp" "$D/env"
  log "up in $((SECONDS - start)) s; environment in $D/env (source it, or: $0 env)"
}

# Mount points under $D, deepest first.
mounts_under_d() {
  awk -v d="$D" '{ p = $5; gsub(/\\040/, " ", p); if (p == d || index(p, d "/") == 1) print p }' \
    /proc/self/mountinfo | sort -r
}

# Processes that dockerd's containerd left behind if dockerd had to be killed (the normal path
# removes every container through the API first, so none are left): container init processes
# (from the init.pid files containerd writes under our state dirs), then their
# containerd-shim-runc-v2 processes. Shims write no pidfile; they are recognised by the
# private containerd socket under $D named in their command line, so only our own ones match.
stop_container_leftovers() {
  local f pid p cmd addr
  while IFS= read -r -d '' f; do
    pid="$(pid_of "$f" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && proc_running "$pid"; then
      log "killing leftover container init pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    # The shim's socket (usually under /run/containerd/s/) is removed by the shim itself on a
    # clean exit; remember it so a killed shim's socket can be removed too.
    addr="$(cat "$(dirname "$f")/address" 2>/dev/null || true)"
    [[ "$addr" == unix:///* ]] && shim_sockets+=("${addr#unix://}")
  done < <(find "$D/exec" "$D/containerd" -name init.pid -print0 2>/dev/null)
  for p in /proc/[0-9]*; do
    cmd="$(tr '\0' ' ' 2>/dev/null <"$p/cmdline")" || continue
    [[ "$cmd" == *containerd-shim*" -address $D/"* ]] || continue
    log "killing leftover shim pid ${p#/proc/}"
    kill -KILL "${p#/proc/}" 2>/dev/null || true
  done
  return 0
}

cmd_down() {
  check_dir
  if [[ ! -d "$D" ]]; then
    log "no sandbox at $D; nothing to do"
    return 0
  fi
  [[ -e "$MARKER" ]] || die "$D is not a berth sandbox (no $MARKER); not touching it"
  shim_sockets=()
  local nginx_sid
  nginx_sid="$(cat "$D/nginx/nginx.pid" 2>/dev/null || true)"
  stop_pidfile "$D/nginx/nginx.pid" nginx
  stop_session_leftovers "$nginx_sid" nginx
  stop_pidfile "$D/oidc/provider.pid" provider.mjs
  stop_pidfile "$D/registry/registry.pid" docker-registry
  stop_pidfile "$D/auth-registry/registry.pid" docker-registry
  if pid_alive "$D/docker.pid" dockerd; then
    if docker_ping; then
      # Remove containers first so the daemon's shutdown does not wait on stop timeouts.
      local ids
      ids="$(dk_timeout 20 ps -aq 2>/dev/null || true)"
      if [[ -n "$ids" ]]; then
        log "removing $(wc -w <<<"$ids") container(s)"
        # shellcheck disable=SC2086
        dk_timeout 30 rm -f $ids >/dev/null 2>&1 || true
      fi
      # User-defined networks are kernel bridges (br-<id>) that outlive the daemon and its data
      # root: remove them while the daemon can still do it.
      dk_timeout 20 network prune -f >/dev/null 2>&1 || true
    fi
    # dockerd removes its pidfile on exit, so remember the PID.
    local dpid
    dpid="$(pid_of "$D/docker.pid")"
    log "stopping dockerd (pid $dpid)"
    stop_pid "$dpid" dockerd
  elif [[ -s "$D/dockerd.launch.pid" ]] && pid_alive "$D/dockerd.launch.pid" dockerd; then
    # Started but never wrote its pidfile (e.g. failed start-up).
    stop_pid "$(pid_of "$D/dockerd.launch.pid")" dockerd
  fi
  # dockerd's own containerd: it normally exits with dockerd; stop it if it did not.
  stop_pidfile "$D/exec/containerd/containerd.pid" containerd
  stop_container_leftovers
  stop_pidfile "$D/containerd/containerd.pid" containerd
  local sock
  for sock in "${shim_sockets[@]}"; do
    [[ -S "$sock" ]] && rm -f "$sock"
  done
  local m
  while IFS= read -r m; do
    [[ -n "$m" ]] || continue
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "WARNING: could not unmount $m"
  done < <(mounts_under_d)
  if [[ -n "$(mounts_under_d)" ]]; then
    die "mounts remain under $D; not removing it:"$'\n'"$(mounts_under_d)"
  fi
  rm -rf --one-file-system "$D"
  log "down: removed $D"
}

cmd_env() {
  check_dir
  if [[ -s "$D/env" ]]; then
    cat "$D/env"
  else
    log "note: sandbox at $D is not up; printing the settings it would use"
    env_lines "$(cat "$D/auth-password" 2>/dev/null || echo '<set-by-up>')"
  fi
}

cmd_status() {
  check_dir
  local rc=0 s
  status_line() { # NAME OK(0|1) DETAIL
    if [[ "$2" == 0 ]]; then s=up; else
      s=down
      rc=1
    fi
    printf '%-14s %-5s %s\n' "$1" "$s" "$3"
  }
  if [[ ! -d "$D" ]]; then
    echo "sandbox at $D: not present"
    return 1
  fi
  local ok
  pid_alive "$D/docker.pid" dockerd && docker_ping && ok=0 || ok=1
  status_line dockerd "$ok" "unix://$DOCKER_SOCK"
  pid_alive "$D/docker.pid" dockerd && docker_tls_ping && ok=0 || ok=1
  status_line dockerd-tls "$ok" "tcp://$DOCKER_TLS_ADDR (client certificate $TLS_DIR/client)"
  pid_alive "$D/registry/registry.pid" docker-registry &&
    http_ok "http://$REGISTRY/v2/" && ok=0 || ok=1
  status_line registry "$ok" "$REGISTRY"
  pid_alive "$D/auth-registry/registry.pid" docker-registry &&
    curl -sS --max-time 2 -o /dev/null "http://$AUTH_REGISTRY/v2/" && ok=0 || ok=1
  status_line auth-registry "$ok" "$AUTH_REGISTRY (user $AUTH_USER)"
  pid_alive "$D/nginx/nginx.pid" nginx && http_ok "http://$NGINX_ADDR/healthz" && ok=0 || ok=1
  status_line nginx "$ok" "$NGINX_ADDR"
  local missing=() tag
  for tag in $IMAGE_TAGS; do
    [[ -n "$(registry_digest "$REGISTRY" "$tag")" ]] || missing+=("$REGISTRY/$IMAGE_REPO:$tag")
    [[ -n "$(registry_digest "$AUTH_REGISTRY" "$tag" -u "$AUTH_USER:$(cat "$D/auth-password" \
      2>/dev/null)")" ]] || missing+=("$AUTH_REGISTRY/$IMAGE_REPO:$tag")
  done
  if ((${#missing[@]} == 0)); then
    status_line images 0 "$IMAGE_REPO:{${IMAGE_TAGS// /,}} in both registries"
  else
    status_line images 1 "missing: ${missing[*]}"
  fi
  return "$rc"
}

main() {
  case "${1:-}" in
    up) cmd_up ;;
    down) cmd_down ;;
    env) cmd_env ;;
    status) cmd_status ;;
    *)
      echo "usage: $0 up|down|env|status" >&2
      exit 2
      ;;
  esac
}

main "$@"
