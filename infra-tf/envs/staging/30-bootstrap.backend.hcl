# terraform -chdir=infra-tf/layers/30-bootstrap init -reconfigure -backend-config=../../envs/staging/30-bootstrap.backend.hcl
bucket = "gitops-platform-tfstate-222222222222"
key    = "envs/staging/30-bootstrap/terraform.tfstate"
region = "us-east-1"
