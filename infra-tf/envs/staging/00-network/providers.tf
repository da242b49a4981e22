provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id] # a plan with credentials of another account fails before it reads anything

  default_tags {
    tags = {
      Environment = var.environment
      Layer       = local.layer
      ManagedBy   = "terraform"
      Repository  = "example-org/gitops-platform"
    }
  }
}
