#!/usr/bin/env bash
# `make demo`: the main job as far as berth does it today. Validates the demo configuration,
# shows the import plan, imports it into a fresh database and prints the stored state back as
# YAML (which re-imports to the same state).
set -euo pipefail
berth=${1:-build/berth}
config=examples/demo.yaml
data_dir=${DEMO_DATA_DIR:-build/demo-data}

if [[ -t 1 ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

rm -rf "$data_dir"
step "berth version"
"$berth" version
step "berth validate $config"
"$berth" validate "$config"
step "berth import --dry-run $config   (what would change)"
"$berth" --data-dir "$data_dir" import --dry-run "$config"
step "berth import $config"
"$berth" --data-dir "$data_dir" import "$config"
step "berth import $config again   (nothing to change)"
"$berth" --data-dir "$data_dir" import "$config"
step "berth validate tests/data/bad/*   (what an operator sees for a broken file)"
for bad in tests/data/bad/*.yaml; do
  "$berth" validate "$bad" 2>&1 | head -1 || true
done
step "berth export   (the stored state)"
"$berth" --data-dir "$data_dir" export
step "done: the database is $data_dir/berth.db"
