terraform {
  required_version = ">= 1.11.0, < 2.0.0"

  # The AWS pin of shared/versions.tf, and Helm, talking to the cluster's API.
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100.0"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.0"
    }
  }
}
