# prod: values from clusters/prod/cluster.yaml (checked by the variables' validation)
environment  = "prod"
account_id   = "333333333333"
region       = "us-east-1"
cluster_name = "gitops-prod"

secret_recovery_window_days = 30
force_destroy_buckets       = false
enable_image_updater        = false

# innovate (seed 003): Aurora Serverless v2 capacity
innovate_db = {
  min_capacity          = 1
  max_capacity          = 16
  instances             = 2
  backup_retention_days = 14
}

# innovate's SPA behind CloudFront; the certificate is issued and validated outside Terraform
innovate_spa = {
  domain_names    = ["app.innovate.example.com"]
  certificate_arn = "arn:aws:acm:us-east-1:333333333333:certificate/7023d40b-f93c-4e96-ae80-3421bbd52984"
  api_host        = "api.innovate.example.com"
}
