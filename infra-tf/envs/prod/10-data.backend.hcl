# terraform -chdir=infra-tf/layers/10-data init -reconfigure -backend-config=../../envs/prod/10-data.backend.hcl
bucket = "gitops-platform-tfstate-333333333333"
key    = "envs/prod/10-data/terraform.tfstate"
region = "us-east-1"
