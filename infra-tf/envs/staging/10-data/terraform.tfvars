# staging: values from clusters/staging/cluster.yaml (checked by the variables' validation)
environment  = "staging"
account_id   = "222222222222"
region       = "us-east-1"
cluster_name = "gitops-staging"

secret_recovery_window_days = 30
force_destroy_buckets       = false
