terraform {
  # State of this layer in the dev account's state bucket; DynamoDB lock (and the S3 lock file
  # that replaces it from Terraform 1.10 on, while both are accepted).
  backend "s3" {
    bucket         = "gitops-platform-tfstate-111111111111"
    key            = "envs/dev/30-bootstrap/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "terraform-state-lock"
    use_lockfile   = true
    encrypt        = true
  }
}
