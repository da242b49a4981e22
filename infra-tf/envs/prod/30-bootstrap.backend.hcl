# terraform -chdir=infra-tf/layers/30-bootstrap init -reconfigure -backend-config=../../envs/prod/30-bootstrap.backend.hcl
bucket = "gitops-platform-tfstate-333333333333"
key    = "envs/prod/30-bootstrap/terraform.tfstate"
region = "us-east-1"
