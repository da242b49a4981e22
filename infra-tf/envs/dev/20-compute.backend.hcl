# terraform -chdir=infra-tf/layers/20-compute init -reconfigure -backend-config=../../envs/dev/20-compute.backend.hcl
bucket = "gitops-platform-tfstate-111111111111"
key    = "envs/dev/20-compute/terraform.tfstate"
region = "us-east-1"
