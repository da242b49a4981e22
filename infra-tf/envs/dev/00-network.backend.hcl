# terraform -chdir=infra-tf/layers/00-network init -reconfigure -backend-config=../../envs/dev/00-network.backend.hcl
bucket = "gitops-platform-tfstate-111111111111"
key    = "envs/dev/00-network/terraform.tfstate"
region = "us-east-1"
