terraform {
  # Shared across the three accounts, so the state sits with the most protected one: whoever can
  # write this state can change prod's registry.
  backend "s3" {
    bucket         = "gitops-platform-tfstate-333333333333"
    key            = "global/registries/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "terraform-state-lock"
    use_lockfile   = true
    encrypt        = true
  }
}
