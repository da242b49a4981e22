variable "name" {
  description = "Name prefix of every resource, and the EKS cluster name the subnets are tagged for (kubernetes.io/cluster/<name>, karpenter.sh/discovery)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region of the VPC; used to build the service names of the VPC endpoints (com.amazonaws.<region>.<service>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC, a /16: private subnets take the first three /19s (room for VPC CNI pod IPs), public subnets x.x.101-103.0/24."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && endswith(var.vpc_cidr, "/16")
    error_message = "vpc_cidr must be a valid IPv4 /16 CIDR such as 10.10.0.0/16."
  }
}

variable "availability_zones" {
  description = "Availability zones to spread subnets over, one public and one private subnet in each (2 or 3)."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 3 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones must list 2 or 3 distinct zones."
  }
}

variable "single_nat_gateway" {
  description = "true: one NAT gateway shared by all private subnets (dev: about 32 USD/month per gateway saved, outbound traffic stops if its AZ fails); false: one NAT gateway per AZ (staging, prod)."
  type        = bool
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints from the private subnets instead of the NAT gateway (service suffix after com.amazonaws.<region>.). S3 always gets a gateway endpoint."
  type        = list(string)
  default = [
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

  validation {
    condition     = alltrue([for s in var.interface_endpoints : can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", s))])
    error_message = "interface_endpoints must be service suffixes such as ecr.api or secretsmanager."
  }
}

variable "flow_log_retention_days" {
  description = "Days the VPC flow log group keeps records (a CloudWatch Logs retention value)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ..., 365, ...)."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module (the provider's default_tags apply too)."
  type        = map(string)
  default     = {}
}

variable "private_zone_name" {
  description = "Name of the Route53 private hosted zone bound to the VPC (internal services' DNS names, published by external-dns)."
  type        = string
  default     = "backend.internal"

  validation {
    condition     = can(regex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]{2,}$", var.private_zone_name))
    error_message = "private_zone_name must be a DNS name such as backend.internal."
  }
}
