#!/usr/bin/env bash
# `make demo`: berth doing its main job on this machine, with nothing outside it touched.
# Brings up the test sandbox (a private dockerd, a registry and an nginx, all on loopback),
# pushes the demo image v1, and runs `berth serve --config examples/demo.yaml`: the poller
# finds v1 and deploys it to staging behind nginx. Then push v2 (the command is printed) and
# watch it deploy; promote it to production through blue-green. Ctrl-C stops berth gracefully.
set -euo pipefail
berth=${1:-build/berth}
config=examples/demo.yaml
data_dir=build/demo-data   # examples/demo.yaml's server.data_dir
export DEMO_WEBHOOK_SECRET=${DEMO_WEBHOOK_SECRET:-demo-secret}
# The demo's first user (a real installation sets its own, or lets berth generate one).
export ADMIN_PASSWORD=${ADMIN_PASSWORD:-demo-admin-password}
sandbox_dir=${BERTH_SANDBOX_DIR:-/tmp/berth-sandbox}

if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

step "berth validate $config"
"$berth" validate "$config"

step "test sandbox: private dockerd, registry 127.0.0.1:15000, nginx 127.0.0.1:18080"
tests/sandbox/sandbox.sh up
# shellcheck disable=SC1091
source "$sandbox_dir/env"

step "demo image: only v1 in 127.0.0.1:15000/berth-demo/app"
# A previous demo may have pushed more tags: remove them so this run starts at v1.
registry="http://$BERTH_SANDBOX_REGISTRY/v2/berth-demo/app"
accept='application/vnd.docker.distribution.manifest.v2+json'
for tag in $(curl -fsS "$registry/tags/list" 2>/dev/null | python3 -c \
  'import json,sys; print(" ".join(json.load(sys.stdin).get("tags") or []))' 2>/dev/null); do
  [[ "$tag" == v1 ]] && continue
  digest=$(curl -fsSI -H "Accept: $accept" "$registry/manifests/$tag" |
    tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}')
  [[ -n "$digest" ]] && curl -fsS -X DELETE "$registry/manifests/$digest" >/dev/null
done
scripts/demo-push.sh v1
rm -rf "$data_dir"

step "first user and an API token (as a CI pipeline would hold one)"
printf '%s\n' "$ADMIN_PASSWORD" | "$berth" --data-dir "$data_dir" user add admin --admin
token=$("$berth" --data-dir "$data_dir" token create admin demo)
auth="Authorization: Bearer $token"

api="http://127.0.0.1:8080"
cat <<MSG

${bold}berth is starting${plain} (its log follows, as text; Ctrl-C stops it gracefully).
  API:        curl -H '$auth' $api/api/projects
  health:     $api/healthz   metrics: $api/metrics
  dashboard:  $api/   (log in as admin / $ADMIN_PASSWORD)
  staging:    curl -H 'Host: staging.demo.localhost' http://$BERTH_SANDBOX_NGINX/
  production: curl -H 'Host: demo.localhost' http://$BERTH_SANDBOX_NGINX/   (once promoted)
Try, in another terminal:
  watch events:   curl -N -H '$auth' $api/api/events
  push v2:        scripts/demo-push.sh v2          (the poller deploys it to staging within 5 s)
  webhook:        scripts/demo-push.sh v3 && curl -X POST -H 'X-Berth-Token: $DEMO_WEBHOOK_SECRET' \\
                    -d '{"tag":"v3"}' $api/api/webhook/demo
  promote:        curl -X POST -H '$auth' $api/api/projects/demo/stages/production/promote
  history:        curl -H '$auth' '$api/api/deploys?project=demo'
  the CLI:        export BERTH_TOKEN=$token      (docs/cli.md)
                  $berth status demo
                  $berth promote demo production --wait
                  $berth deploy demo staging v2 --wait
When done: make sandbox-down

MSG
set +e
"$berth" serve --config "$config" --log-format text
rc=$?
echo "berth exited ($rc). The sandbox is still up: make sandbox-down stops it."
exit "$rc"
