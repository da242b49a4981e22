# terraform -chdir=infra-tf/layers/30-bootstrap init -reconfigure -backend-config=../../envs/dev/30-bootstrap.backend.hcl
bucket = "gitops-platform-tfstate-111111111111"
key    = "envs/dev/30-bootstrap/terraform.tfstate"
region = "us-east-1"
