# Aurora PostgreSQL Serverless v2 (seed 003): a cluster in the private subnets, capacity in ACUs
# between min_capacity and max_capacity, storage, Performance Insights and the master secret
# encrypted with KMS keys, TLS forced, continuous backups, IAM database authentication, logs in
# CloudWatch. Its master password is generated and rotated by RDS in Secrets Manager (never in a
# plan or the state). The security group admits nothing by itself: the layer that knows the
# clients adds one ingress rule per client security group (allowed_security_group_ids, or
# security_group_id from outside, e.g. the EKS cluster security group in 20-compute).

data "aws_partition" "current" {}

locals {
  family = "aurora-postgresql${split(".", var.engine_version)[0]}"
}

module "key" {
  source = "../kms-key"

  alias       = "rds-${var.name}"
  description = "Storage, Performance Insights and the master secret of Aurora cluster ${var.name}"
  tags        = var.tags
}

resource "aws_db_subnet_group" "this" {
  name        = var.name
  description = "Private subnets of Aurora cluster ${var.name}"
  subnet_ids  = var.subnet_ids

  tags = var.tags
}

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-aurora-"
  description = "Aurora cluster ${var.name}: PostgreSQL from its clients only"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-aurora" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each = toset(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from ${each.value}"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

# TLS only, and statements slower than a second in the PostgreSQL log (CloudWatch Logs).
resource "aws_rds_cluster_parameter_group" "this" {
  name_prefix = "${var.name}-"
  family      = local.family
  description = "Aurora cluster ${var.name}: TLS only, slow statement and connection logging"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }
  parameter {
    name  = "log_connections"
    value = "1"
  }
  parameter {
    name  = "log_disconnections"
    value = "1"
  }
  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_rds_cluster" "this" {
  #checkov:skip=CKV2_AWS_8:Backups are Aurora's own continuous backups (backup_retention_days, point-in-time restore); an AWS Backup plan adds cross-region copies, which wait for a DR region (infra-tf/README.md, known gaps).
  cluster_identifier = var.name
  engine             = "aurora-postgresql"
  engine_mode        = "provisioned" # Serverless v2 is provisioned mode with db.serverless instances
  engine_version     = var.engine_version
  database_name      = var.database_name
  port               = 5432

  master_username               = var.master_username
  manage_master_user_password   = true # RDS generates the password and rotates it in Secrets Manager
  master_user_secret_kms_key_id = var.master_user_secret_kms_key_arn == null ? module.key.arn : var.master_user_secret_kms_key_arn

  iam_database_authentication_enabled = true

  db_subnet_group_name            = aws_db_subnet_group.this.name
  vpc_security_group_ids          = [aws_security_group.this.id]
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name

  storage_encrypted = true
  kms_key_id        = module.key.arn

  serverlessv2_scaling_configuration {
    min_capacity = var.min_capacity
    max_capacity = var.max_capacity
  }

  backup_retention_period      = var.backup_retention_days
  preferred_backup_window      = "03:00-04:00"
  preferred_maintenance_window = "sun:04:30-sun:05:30"
  copy_tags_to_snapshot        = true

  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = !var.final_snapshot
  final_snapshot_identifier = var.final_snapshot ? "${var.name}-final" : null

  enabled_cloudwatch_logs_exports = ["postgresql"]

  tags = var.tags
}

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  name               = "${var.name}-rds-monitoring"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

# The writer first, then readers; RDS spreads them over the subnet group's AZs, and a reader
# takes over when the writer's AZ fails.
resource "aws_rds_cluster_instance" "this" {
  count = var.instances

  identifier         = "${var.name}-${count.index + 1}"
  cluster_identifier = aws_rds_cluster.this.id
  instance_class     = "db.serverless"
  engine             = aws_rds_cluster.this.engine
  engine_version     = aws_rds_cluster.this.engine_version

  db_subnet_group_name       = aws_db_subnet_group.this.name
  publicly_accessible        = false
  auto_minor_version_upgrade = true
  promotion_tier             = count.index

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = module.key.arn
  performance_insights_retention_period = 7 # the free tier

  monitoring_interval = 60
  monitoring_role_arn = aws_iam_role.monitoring.arn

  tags = var.tags

  depends_on = [aws_iam_role_policy_attachment.monitoring]
}
