#!/usr/bin/env bash
# Plans every root of infra-tf/ with its terraform.tfvars against mocked providers
# (`terraform test`): no cloud account, no state, no backend. Catches what `terraform validate`
# cannot: unknown for_each/count keys, failing variable validations (tfvars vs
# clusters/<env>/cluster.yaml), wrong module wiring. 30-bootstrap is left out (its Helm provider
# talks to a live cluster).
#
# Runs in a scratch copy: each layer's test file is copied into every root of that layer.
# Environment:
#   TF_PLUGIN_DIR            provider directory for `terraform init -plugin-dir` (offline machines)
#   TF_AWS_PROVIDER_VERSION  rewrite the aws provider constraints of the copy to this exact version
#                            (a machine whose mirror holds another version than the roots pin)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
infra=$(dirname "$here")
repo=$(dirname "$infra")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp -r "$infra" "$work/infra-tf"
cp -r "$repo/clusters" "$work/clusters"
find "$work/infra-tf" -name .terraform -prune -exec rm -rf {} +
if [[ -n "${TF_AWS_PROVIDER_VERSION:-}" ]]; then
  grep -rlE '"~> 6\.0"|">= 5\.100\.0, < 7\.0\.0"' "$work/infra-tf" --include='*.tf' |
    xargs sed -i -E "s/\"~> 6\.0\"|\">= 5\.100\.0, < 7\.0\.0\"/\"$TF_AWS_PROVIDER_VERSION\"/"
fi

init_args=(-backend=false -input=false -no-color)
[[ -n "${TF_PLUGIN_DIR:-}" ]] && init_args+=("-plugin-dir=$TF_PLUGIN_DIR")

failed=()
cd "$work/infra-tf"
for root in global envs/*/00-network envs/*/10-data envs/*/20-compute; do
  layer=$(basename "$root")
  mkdir -p "$root/tests"
  cp "$here/$layer.tftest.hcl" "$root/tests/"
  echo "== $root"
  if ! (cd "$root" && terraform init "${init_args[@]}" > init.log 2>&1); then
    cat "$root/init.log"
    failed+=("$root")
    continue
  fi
  (cd "$root" && terraform test -no-color) || failed+=("$root")
done

if ((${#failed[@]})); then
  echo "terraform test failed in: ${failed[*]}" >&2
  exit 1
fi
echo "terraform test passed in every root"
