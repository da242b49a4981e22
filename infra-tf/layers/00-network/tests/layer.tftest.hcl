# terraform test of layers/00-network against a mocked AWS provider.
# tests/run.sh runs it once per layer: `with_tfvars` with each environment's
# envs/<env>/00-network.tfvars, the other runs (what the validations reject) with dev's. By hand:
#   terraform -chdir=infra-tf/layers/00-network test -var-file=../../envs/dev/00-network.tfvars

mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

run "with_tfvars" {
  command = plan

  assert {
    condition     = length(var.availability_zones) == 3
    error_message = "every environment spans three availability zones"
  }

  assert {
    condition     = output.private_zone.name == "backend.internal"
    error_message = "external-dns publishes api.backend.internal: the private zone is backend.internal"
  }

  assert {
    condition     = module.public_alb_waf.name == "${var.cluster_name}-public-alb"
    error_message = "the public ALB's web ACL is gitops-<env>-public-alb, the name in the Ingresses' ARN"
  }
}

# One plan, several validations that must each fail: prod keeps a NAT gateway per AZ, the account
# must be cluster.yaml's, seed 003's interface endpoints are required.
run "validations_reject" {
  command = plan

  variables {
    environment         = "prod"
    account_id          = "999999999999"
    single_nat_gateway  = true
    interface_endpoints = ["ecr.api", "ecr.dkr"]
  }

  expect_failures = [var.single_nat_gateway, var.account_id, var.interface_endpoints]
}
