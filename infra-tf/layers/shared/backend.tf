terraform {
  # State in the environment account's bucket gitops-platform-tfstate-<account>: bucket, key and
  # region come from envs/<env>/<layer>.backend.hcl (terraform init -backend-config=). DynamoDB
  # lock, and the S3 lock file that replaces it from Terraform 1.10 on, while both are accepted.
  backend "s3" {
    dynamodb_table = "terraform-state-lock"
    use_lockfile   = true
    encrypt        = true
  }
}
