terraform {
  required_version = ">= 1.11.0, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The version `make test` validates and .terraform.lock.hcl records; an upgrade is a
      # reviewed change of both (terraform init -upgrade, then make test).
      version = "~> 5.100.0"
    }
  }
}
