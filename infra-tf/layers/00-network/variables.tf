variable "vpc_cidr" {
  description = "IPv4 /16 of the environment's VPC; distinct per environment so that VPCs can be peered later."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && endswith(var.vpc_cidr, "/16")
    error_message = "vpc_cidr must be a valid IPv4 /16 CIDR."
  }
}

variable "availability_zones" {
  description = "The three availability zones the subnets span."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) == 3 && alltrue([for az in var.availability_zones : startswith(az, var.region)])
    error_message = "availability_zones must list three zones of the region."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for the whole VPC (dev: cost) instead of one per AZ (staging, prod: an AZ outage does not cut the others' outbound traffic)."
  type        = bool

  validation {
    condition     = var.environment == "dev" || !var.single_nat_gateway
    error_message = "single_nat_gateway may only be true in dev: staging and prod keep a NAT gateway per AZ."
  }
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints (suffix of com.amazonaws.<region>.); each costs about 7 USD/month per AZ."
  type        = list(string)

  validation {
    condition     = length(setsubtract(["ecr.api", "ecr.dkr", "sts", "logs", "secretsmanager"], var.interface_endpoints)) == 0
    error_message = "interface_endpoints must include at least ecr.api, ecr.dkr, sts, logs and secretsmanager (seed 003)."
  }
}

variable "flow_log_retention_days" {
  description = "Days the VPC flow logs are kept."
  type        = number
  default     = 365

  validation {
    condition     = var.environment != "prod" || var.flow_log_retention_days >= 365
    error_message = "prod keeps flow logs at least 365 days."
  }
}

variable "private_zone_name" {
  description = "Route53 private hosted zone bound to the VPC, where external-dns publishes internal services (seed 004: api.backend.internal)."
  type        = string
  default     = "backend.internal"
}

variable "public_alb_waf_rule_groups" {
  description = "AWS managed rule groups of the public ALB's web ACL after the known-bad-inputs group, in evaluation order (the APIs behind it use SQL databases)."
  type        = list(string)
  default = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesSQLiRuleSet",
  ]
}

variable "public_alb_rate_limit_per_5_minutes" {
  description = "Requests one client IP may send to the public ALB in any 5 minutes before WAF blocks it."
  type        = number
  default     = 2000
}
