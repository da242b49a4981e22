# staging: values from clusters/staging/cluster.yaml (checked by the variables' validation)
environment  = "staging"
account_id   = "222222222222"
region       = "us-east-1"
cluster_name = "gitops-staging"

vpc_cidr           = "10.20.0.0/16"
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
single_nat_gateway = false

# every AWS API the nodes and add-ons call stays inside the VPC
interface_endpoints = [
  "ecr.api",
  "ecr.dkr",
  "sts",
  "logs",
  "secretsmanager",
  "ec2",
  "elasticloadbalancing",
  "eks",
  "eks-auth",
  "ssm",
  "sqs",
  "kms",
]
