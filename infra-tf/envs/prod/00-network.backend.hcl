# terraform -chdir=infra-tf/layers/00-network init -reconfigure -backend-config=../../envs/prod/00-network.backend.hcl
bucket = "gitops-platform-tfstate-333333333333"
key    = "envs/prod/00-network/terraform.tfstate"
region = "us-east-1"
