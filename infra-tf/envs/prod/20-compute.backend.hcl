# terraform -chdir=infra-tf/layers/20-compute init -reconfigure -backend-config=../../envs/prod/20-compute.backend.hcl
bucket = "gitops-platform-tfstate-333333333333"
key    = "envs/prod/20-compute/terraform.tfstate"
region = "us-east-1"
