#!/bin/sh
# A CI job's deploy step, with nothing but berth's command-line client: deploy the image tag
# this pipeline just pushed to staging and wait until it runs healthy, then promote exactly that
# image (the same digest) to production and follow that deploy to its end. A deploy that fails,
# is rolled back or is cancelled stops the job: berth prints the reason on stderr and exits
# non-zero (7; see "Exit codes" in docs/cli.md), and the script passes that code on as the
# job's result, after showing what each stage runs now.
#
#   BERTH_SERVER=https://berth.example.com BERTH_TOKEN=$BERTH_CI_TOKEN \
#     examples/ci/deploy.sh web "$CI_COMMIT_TAG"
#
# BERTH_TOKEN: an API token kept as a CI secret (`berth token create USER ci`, or the
# dashboard's tokens page). BERTH_SERVER: berth's URL. Optional: BERTH (the berth binary;
# default `berth` on PATH), STAGING and PRODUCTION (the stage names), BERTH_WAIT_TIMEOUT (how
# long one deploy may take; default 15m).
set -eu

if [ "$#" -ne 2 ]; then
  echo "usage: $0 PROJECT TAG" >&2
  exit 2
fi
project=$1
tag=$2
berth=${BERTH:-berth}
staging=${STAGING:-staging}
production=${PRODUCTION:-production}
timeout=${BERTH_WAIT_TIMEOUT:-15m}

# Stops the job with berth's exit code, after the stages' state for the job's log (the stage
# whose deploy failed still runs its previous image: berth rolled it back).
stop() {
  code=$1
  echo "==> $2 (exit $code); $project now runs:" >&2
  "$berth" status "$project" >&2 || true
  exit "$code"
}

echo "==> deploying $tag to $project/$staging"
# --wait: the deploy's log on stderr while it runs; exit 0 only when it succeeded.
"$berth" deploy "$project" "$staging" "$tag" --wait --wait-timeout "$timeout" ||
  stop "$?" "the deploy of $tag to $project/$staging did not succeed"

# promote checks that staging runs $tag healthy, and deploys the digest staging runs. Queued
# here and followed apart (`promote --wait` does both at once) to show the pattern for a
# pipeline whose production job only gets the deploy's id.
echo "==> promoting $project/$staging to $production"
queued=$("$berth" promote "$project" "$production" "$tag") ||
  stop "$?" "berth refused to promote $tag to $project/$production"
echo "$queued"
# "deploy 42 queued: web/production <- ...": the id is the second word.
id=$(echo "$queued" | sed -n 's/^deploy \([0-9][0-9]*\) .*/\1/p')
if [ -z "$id" ]; then
  echo "==> no deploy id in berth's answer: $queued" >&2
  exit 1
fi
# logs --follow: the log on stdout until the deploy ends; its outcome is the exit code.
"$berth" logs "$id" --follow --wait-timeout "$timeout" ||
  stop "$?" "deploy $id ($tag to $project/$production) did not succeed"

echo "==> $project now runs"
"$berth" status "$project"
