# terraform -chdir=infra-tf/layers/10-data init -reconfigure -backend-config=../../envs/dev/10-data.backend.hcl
bucket = "gitops-platform-tfstate-111111111111"
key    = "envs/dev/10-data/terraform.tfstate"
region = "us-east-1"
