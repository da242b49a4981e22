#!/usr/bin/env bash
# terraform test in every root of infra-tf/ (global/, every layer of layers/ with every
# environment's envs/<env>/<layer>.tfvars) and in every module with a tests/ directory, against
# mocked providers: no cloud account, no state, no backend. `terraform test` validates the
# configuration before it plans, and plans catch what `terraform validate` cannot: unknown
# for_each/count keys, failing variable validations (tfvars vs clusters/<env>/cluster.yaml),
# wrong module wiring. A root without tests gets `terraform validate`.
#
# A layer's tests/layer.tftest.hcl runs once: its `with_tfvars` run once per environment with
# that environment's tfvars, its other runs (what the validations reject) with dev's. The roots'
# provider versions are the ones their committed .terraform.lock.hcl records (init
# -lockfile=readonly). A root needing a provider that TF_PLUGIN_DIR lacks is skipped, by name.
#
# Runs in a scratch copy of infra-tf/ and clusters/, so the work tree gets no .terraform/.
# Usage: tests/run.sh [ROOT...]   (relative to infra-tf/, e.g. layers/10-data; default: all)
# Environment:
#   TF_PLUGIN_DIR        offline: install providers from this directory only (a filesystem mirror
#                        in the unpacked layout, e.g. /opt/tf-plugins); otherwise from the registry
#   TF_PLUGIN_CACHE_DIR  Terraform's own plugin cache, when providers come from the registry
#   TF_TEST_JOBS         roots tested at once (default: the number of CPUs)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
infra=$(dirname "$here")
repo=$(dirname "$infra")
envs=(dev staging prod)

command -v terraform > /dev/null || { echo "error: terraform is not on PATH" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$infra" "$work/infra-tf"
cp -r "$repo/clusters" "$work/clusters"
find "$work/infra-tf" -name .terraform -prune -exec rm -rf {} +
mkdir "$work/logs"

if [[ -n "${TF_PLUGIN_DIR:-}" ]]; then
  [[ -d "$TF_PLUGIN_DIR" ]] || { echo "error: TF_PLUGIN_DIR=$TF_PLUGIN_DIR is not a directory" >&2; exit 2; }
  # Nothing but the mirror: a provider it lacks fails init instead of being downloaded.
  printf 'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' "$TF_PLUGIN_DIR" > "$work/terraformrc"
  export TF_CLI_CONFIG_FILE="$work/terraformrc"
  # Terraform's plugin cache is not safe for parallel inits (a provider binary being replaced
  # under a running test: "fork/exec ... no such file"); the mirror needs no cache.
  unset TF_PLUGIN_CACHE_DIR
fi
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

# The providers a root requires that the mirror lacks (none when providers come from the registry).
missing_providers() {
  [[ -n "${TF_PLUGIN_DIR:-}" ]] || return 0
  local name
  for name in $(grep -ho 'source *= *"hashicorp/[a-z0-9-]*"' "$1"/*.tf | grep -o '[a-z0-9-]*"$' | tr -d '"' | sort -u); do
    [[ -d "$TF_PLUGIN_DIR/registry.terraform.io/hashicorp/$name" ]] || printf 'hashicorp/%s ' "$name"
  done
}

# layers/<layer>/tests/layer.tftest.hcl -> one file whose `with_tfvars` run is repeated per
# environment with that environment's tfvars as the run's variables; the file's variables (the
# other runs') are dev's. Every environment's tfvars of a layer set the same variables
# (tests/test_terraform_layers.py), so no value of dev's leaks into another environment's run.
expand_layer_tests() {
  local root=$1 layer tests header with_run others env
  layer=$(basename "$root")
  tests="$root/tests/layer.tftest.hcl"
  header=$(awk '/^run "/ { exit } { print }' "$tests")
  with_run=$(awk '/^run "with_tfvars" \{/ { p = 1 } p { print } p && /^\}/ { exit }' "$tests")
  others=$(awk '/^run "/ { p = ($0 !~ /^run "with_tfvars"/) } p { print }' "$tests")
  {
    printf '%s\n\nvariables {\n%s\n}\n' "$header" "$(cat "envs/dev/$layer.tfvars")"
    for env in "${envs[@]}"; do
      printf '\nrun "with_%s_tfvars" {\n  variables {\n%s\n  }\n%s\n' \
        "$env" "$(cat "envs/$env/$layer.tfvars")" "$(tail -n +2 <<< "$with_run")"
    done
    printf '\n%s\n' "$others"
  } > "$root/tests/environments.tftest.hcl"
  rm "$tests"
}

test_root() { # root -> exit code; output to logs/<root>.log
  local root=$1 lock=()
  [[ -f "$root/.terraform.lock.hcl" ]] && lock=(-lockfile=readonly)
  echo "== $root"
  terraform -chdir="$root" init -backend=false -no-color "${lock[@]}" > "$work/logs/${root//\//_}.init" 2>&1 ||
    { cat "$work/logs/${root//\//_}.init"; return 1; }
  if [[ ! -d "$root/tests" ]]; then
    terraform -chdir="$root" validate -no-color
  else
    [[ "$root" == layers/* ]] && expand_layer_tests "$root"
    terraform -chdir="$root" test -no-color
  fi
}

cd "$work/infra-tf"
if (($#)); then roots=("$@"); else
  roots=(global layers/*/ modules/*/tests/)
  roots=("${roots[@]%/}")
  roots=("${roots[@]%/tests}")
fi
selected=() skipped=()
for root in "${roots[@]}"; do
  [[ "$root" == layers/shared ]] && continue # linked into the layers, not a root
  [[ -d "$root" ]] || { echo "error: no root $root in infra-tf/" >&2; exit 2; }
  missing=$(missing_providers "$root")
  if [[ -n "$missing" ]]; then
    skipped+=("$root: not validated, needs ${missing% } (not in $TF_PLUGIN_DIR)")
  else
    selected+=("$root")
  fi
done

export -f test_root expand_layer_tests
export work envs_list="${envs[*]}"
printf '%s\n' "${selected[@]}" | xargs -P "${TF_TEST_JOBS:-$(nproc 2> /dev/null || echo 2)}" -I{} \
  bash -c 'envs=($envs_list); if test_root "$1" > "$work/logs/${1//\//_}.log" 2>&1; then :; else echo "$1" >> "$work/failed"; fi' _ {} || true

for root in "${selected[@]}"; do
  cat "$work/logs/${root//\//_}.log"
done
for skip in "${skipped[@]}"; do
  echo "skipped: $skip" >&2
done
if [[ -s "$work/failed" ]]; then
  echo "terraform test failed in: $(sort "$work/failed" | tr '\n' ' ')" >&2
  exit 1
fi
echo "terraform test passed in ${#selected[@]} roots (${#skipped[@]} skipped)"
