# staging: values from clusters/staging/cluster.yaml (checked by the variables' validation)
environment  = "staging"
account_id   = "222222222222"
region       = "us-east-1"
cluster_name = "gitops-staging"

secret_recovery_window_days = 30
force_destroy_buckets       = false
enable_image_updater        = false

# innovate (seed 003): Aurora Serverless v2 capacity
innovate_db = {
  min_capacity          = 0.5
  max_capacity          = 4
  instances             = 1
  backup_retention_days = 7
}

# innovate's SPA behind CloudFront; the certificate is issued and validated outside Terraform
innovate_spa = {
  domain_names    = ["app.innovate.staging.example.com"]
  certificate_arn = "arn:aws:acm:us-east-1:222222222222:certificate/14462363-ccf1-4522-b2ef-072b7b58d1ba"
  api_host        = "api.innovate.staging.example.com"
}
