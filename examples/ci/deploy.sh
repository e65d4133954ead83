#!/bin/sh
# A CI job's deploy step, with nothing but berth's command-line client: deploy the image tag
# this pipeline just pushed to staging and wait until it runs healthy, then promote exactly that
# image (the same digest) to production and wait again. A deploy that fails,
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

# promote checks that staging runs $tag healthy, and deploys the digest staging runs.
echo "==> promoting $project/$staging to $production"
"$berth" promote "$project" "$production" "$tag" --wait --wait-timeout "$timeout" ||
  stop "$?" "the promotion of $tag to $project/$production did not succeed"

echo "==> $project now runs"
"$berth" status "$project"
