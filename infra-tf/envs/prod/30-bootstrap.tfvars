# prod: values from clusters/prod/cluster.yaml (checked by the variables' validation)
environment  = "prod"
account_id   = "333333333333"
region       = "us-east-1"
cluster_name = "gitops-prod"

argocd_hostname          = "argocd.prod.example.com"
argocd_high_availability = true
