# terraform -chdir=infra-tf/layers/20-compute init -reconfigure -backend-config=../../envs/staging/20-compute.backend.hcl
bucket = "gitops-platform-tfstate-222222222222"
key    = "envs/staging/20-compute/terraform.tfstate"
region = "us-east-1"
