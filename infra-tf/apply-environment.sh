#!/usr/bin/env bash
# Plan and apply an environment's layers in order (00-network, 10-data, 20-compute, 30-bootstrap),
# each root of layers/ with that environment's backend config and tfvars from envs/<env>/.
# Usage: infra-tf/apply-environment.sh ENV [LAYER...]     (e.g. prod, or prod 10-data)
# Credentials: the account's gitops-terraform-apply role (or an administrator's). 30-bootstrap
# talks to the private EKS API: run it from inside the VPC. PLAN_ONLY=1 stops after the plans.
set -euo pipefail

infra=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
env=${1:?usage: $0 ENV [LAYER...] (ENV: dev, staging or prod)}
shift
[[ -f "$infra/envs/$env/00-network.tfvars" ]] || { echo "error: no environment $env in $infra/envs/" >&2; exit 2; }
layers=("$@")
((${#layers[@]})) || layers=(00-network 10-data 20-compute 30-bootstrap)

for layer in "${layers[@]}"; do
  root="$infra/layers/$layer"
  [[ -d "$root" ]] || { echo "error: no layer $layer in $infra/layers/" >&2; exit 2; }
  echo "== $env/$layer"
  lock=()
  [[ -f "$root/.terraform.lock.hcl" ]] && lock=(-lockfile=readonly)
  terraform -chdir="$root" init -input=false -no-color -reconfigure "${lock[@]}" \
    -backend-config="../../envs/$env/$layer.backend.hcl"
  terraform -chdir="$root" plan -input=false -no-color -lock-timeout=10m \
    -var-file="../../envs/$env/$layer.tfvars" -out="$env.tfplan"
  [[ "${PLAN_ONLY:-}" == 1 ]] && continue
  terraform -chdir="$root" apply -input=false -no-color -lock-timeout=10m "$env.tfplan"
  rm -f "$root/$env.tfplan"
done
