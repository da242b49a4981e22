output "registries" {
  description = "Registry host of each environment (must equal registry in clusters/<env>/cluster.yaml)."
  value = {
    dev     = module.ecr_dev.registry
    staging = module.ecr_staging.registry
    prod    = module.ecr_prod.registry
  }
}

output "repository_urls" {
  description = "Repository URLs of each environment, by repository name."
  value = {
    dev     = module.ecr_dev.repository_urls
    staging = module.ecr_staging.repository_urls
    prod    = module.ecr_prod.repository_urls
  }
}

output "plan_role_arns" {
  description = "Read-only plan role of each account (the drift workflow's role-to-assume; set as repository variables)."
  value = {
    dev     = module.ci_dev.plan_role_arn
    staging = module.ci_staging.plan_role_arn
    prod    = module.ci_prod.plan_role_arn
  }
}

output "image_role_arns" {
  description = "Image push / promotion role of each account."
  value = {
    dev     = module.ci_dev.image_role_arn
    staging = module.ci_staging.image_role_arn
    prod    = module.ci_prod.image_role_arn
  }
}

output "apply_role_arns" {
  description = "Terraform apply role of each account (the terraform workflow's apply jobs)."
  value = {
    dev     = module.ci_dev.apply_role_arn
    staging = module.ci_staging.apply_role_arn
    prod    = module.ci_prod.apply_role_arn
  }
}
