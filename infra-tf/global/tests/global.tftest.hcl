# terraform test of global/ (run by tests/run.sh): registries and CI roles of the three accounts
# planned against mocked providers; the tfvars must agree with clusters/*/cluster.yaml, and each
# role admits the token subjects of infra-tf/global/github-oidc.yaml.

mock_provider "aws" {
  alias  = "dev"
  source = "../tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "staging"
  source = "../tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "prod"
  source = "../tests/mocks/aws"
}

run "plan_with_tfvars" {
  command = plan

  assert {
    condition     = module.ci_staging.trusted_subjects.image == ["repo:example-org/gitops-platform:environment:staging"]
    error_message = "staging's image role admits the jobs of the GitHub environment staging (promote), not a branch"
  }

  assert {
    condition     = module.ci_dev.trusted_subjects.image == ["repo:example-org/gitops-platform:environment:dev"]
    error_message = "dev's image role admits the jobs of the GitHub environment dev (qr-images' image job)"
  }

  assert {
    condition     = module.ci_prod.trusted_subjects.apply == ["repo:example-org/gitops-platform:environment:prod"]
    error_message = "prod's apply role admits the environment-protected prod jobs only"
  }

  assert {
    condition     = toset(module.ci_dev.trusted_subjects.plan) == toset(["repo:example-org/gitops-platform:ref:refs/heads/main", "repo:example-org/gitops-platform:pull_request"])
    error_message = "the read-only plan role admits drift detection on main and plans of pull requests"
  }

  assert {
    condition     = contains(local.repositories.staging, "qr-generator/locust") && !contains(local.repositories.prod, "qr-generator/locust")
    error_message = "staging's registry holds the in-cluster load test's Locust image, prod's does not"
  }
}

# The tfvars must agree with clusters/*/cluster.yaml: the repository and the accounts (one plan).
run "validations_reject" {
  command = plan

  variables {
    github_repository = "someone/else"
    accounts          = { dev = "111111111111", staging = "222222222222", prod = "444444444444" }
  }

  expect_failures = [var.github_repository, var.accounts]
}
