variable "name" {
  description = "Cluster identifier; also names its instances (<name>-1, <name>-2, ...), subnet group, security group, monitoring role and key."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,47}$", var.name)) && !endswith(var.name, "-") && !strcontains(var.name, "--")
    error_message = "name must be 1-48 lowercase letters, digits or single hyphens, starting with a letter (the monitoring role adds -rds-monitoring)."
  }
}

variable "engine_version" {
  description = "Aurora PostgreSQL version (major.minor) with Serverless v2 support; minor upgrades apply in the maintenance window."
  type        = string
  default     = "16.6"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+$", var.engine_version)) && tonumber(split(".", var.engine_version)[0]) >= 13
    error_message = "engine_version must be major.minor, PostgreSQL 13 or newer."
  }
}

variable "database_name" {
  description = "Name of the database created with the cluster."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be 1-63 lowercase letters, digits or underscores, starting with a letter."
  }
}

variable "master_username" {
  description = "Name of the master user; its password lives in the Secrets Manager secret RDS manages."
  type        = string
  default     = "postgres_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["postgres", "rdsadmin", "admin"], var.master_username)
    error_message = "master_username must be 1-16 lowercase letters, digits or underscores, and not a reserved name (postgres, rdsadmin, admin)."
  }
}

variable "master_user_secret_kms_key_arn" {
  description = "KMS key of the master secret RDS manages (the environment's Secrets Manager key); null uses the cluster's own key."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "VPC of the cluster (the private subnets' VPC)."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "subnet_ids" {
  description = "Private subnets, in at least two AZs (an RDS subnet group needs two)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must name at least two subnets in different AZs."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups whose members may connect on 5432 (the clients). Empty: the layer adds its rules to security_group_id itself."
  type        = list(string)
  default     = []
}

variable "min_capacity" {
  description = "Lowest capacity in Aurora capacity units (0.5 ACU steps; 1 ACU is about 2 GiB of memory)."
  type        = number

  validation {
    condition     = var.min_capacity >= 0.5 && var.min_capacity <= 256 && floor(var.min_capacity * 2) == var.min_capacity * 2
    error_message = "min_capacity must be 0.5 to 256 in steps of 0.5."
  }
}

variable "max_capacity" {
  description = "Highest capacity in ACUs: the cost ceiling and the load the database can take."
  type        = number

  validation {
    condition     = var.max_capacity >= var.min_capacity && var.max_capacity <= 256 && floor(var.max_capacity * 2) == var.max_capacity * 2
    error_message = "max_capacity must be at least min_capacity, at most 256, in steps of 0.5."
  }
}

variable "instances" {
  description = "Number of db.serverless instances: 1 is the writer alone, each further one a reader that takes over when the writer's AZ fails."
  type        = number
  default     = 1

  validation {
    condition     = var.instances >= 1 && var.instances <= 15
    error_message = "instances must be between 1 and 15."
  }
}

variable "backup_retention_days" {
  description = "Days of continuous backups (point-in-time restore window)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35."
  }
}

variable "deletion_protection" {
  description = "Whether RDS refuses to delete the cluster (on in prod; terraform destroy then fails until it is turned off)."
  type        = bool
  default     = true
}

variable "final_snapshot" {
  description = "Whether deleting the cluster first takes a snapshot <name>-final."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of the module (the provider's default_tags apply too)."
  type        = map(string)
  default     = {}
}
