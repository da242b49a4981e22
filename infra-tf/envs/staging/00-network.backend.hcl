# terraform -chdir=infra-tf/layers/00-network init -reconfigure -backend-config=../../envs/staging/00-network.backend.hcl
bucket = "gitops-platform-tfstate-222222222222"
key    = "envs/staging/00-network/terraform.tfstate"
region = "us-east-1"
