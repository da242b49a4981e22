# dev: values from clusters/dev/cluster.yaml (checked by the variables' validation)
environment  = "dev"
account_id   = "111111111111"
region       = "us-east-1"
cluster_name = "gitops-dev"

secret_recovery_window_days = 7
force_destroy_buckets       = true
enable_image_updater        = true # its git write-back secret (20-compute gives it the role)

# innovate (seed 003): Aurora Serverless v2 capacity
innovate_db = {
  min_capacity          = 0.5
  max_capacity          = 2
  instances             = 1
  backup_retention_days = 7
}

# innovate's SPA behind CloudFront; the certificate is issued and validated outside Terraform
innovate_spa = {
  domain_names    = ["app.innovate.dev.example.com"]
  certificate_arn = "arn:aws:acm:us-east-1:111111111111:certificate/427b77c6-6438-4615-9888-eb9071c6bb52"
  api_host        = "api.innovate.dev.example.com"
}
