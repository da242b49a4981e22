# terraform -chdir=infra-tf/layers/10-data init -reconfigure -backend-config=../../envs/staging/10-data.backend.hcl
bucket = "gitops-platform-tfstate-222222222222"
key    = "envs/staging/10-data/terraform.tfstate"
region = "us-east-1"
