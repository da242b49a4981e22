# Values from clusters/*/cluster.yaml (checked by the variables' validation)
accounts = {
  dev     = "111111111111"
  staging = "222222222222"
  prod    = "333333333333"
}
region            = "us-east-1"
github_repository = "example-org/gitops-platform"

# every image the overlays under apps/workloads/ pull from the environment's registry
repositories = [
  "qr-generator/backend",
  "qr-generator/frontend",
  "movie-catalog/api-gateway",
  "movie-catalog/inventory",
  "movie-catalog/billing",
  "innovate/api",
  "backend-services/frontend",
  "backend-services/backend-app",
  "backend-services/backend-service",
]

# the Locust image the in-cluster load test of staging runs (loadtests/README.md)
environment_repositories = {
  staging = ["qr-generator/locust"]
}

# seed 000 keeps 5, seed 002 keeps 30: dev builds a release candidate per merge
keep_tagged_images = {
  dev     = 30
  staging = 15
  prod    = 30
}
