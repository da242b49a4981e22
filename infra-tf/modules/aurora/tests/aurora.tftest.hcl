# terraform test of modules/aurora (run by tests/run.sh) against a mocked AWS provider.

mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  name                       = "gitops-dev-innovate"
  database_name              = "innovate"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"]
  min_capacity               = 0.5
  max_capacity               = 4
  allowed_security_group_ids = ["sg-0ccccccccccccccc1"]
}

run "serverless_v2_private_encrypted" {
  command = plan

  assert {
    condition     = aws_rds_cluster.this.engine == "aurora-postgresql" && aws_rds_cluster.this.engine_mode == "provisioned" && alltrue([for i in aws_rds_cluster_instance.this : i.instance_class == "db.serverless"])
    error_message = "Aurora PostgreSQL Serverless v2: provisioned mode with db.serverless instances"
  }

  assert {
    condition     = aws_rds_cluster.this.serverlessv2_scaling_configuration[0].min_capacity == 0.5 && aws_rds_cluster.this.serverlessv2_scaling_configuration[0].max_capacity == 4
    error_message = "the capacity range is the one given"
  }

  assert {
    condition     = aws_rds_cluster.this.storage_encrypted && aws_rds_cluster.this.manage_master_user_password && aws_rds_cluster.this.iam_database_authentication_enabled
    error_message = "storage encrypted with KMS, master password managed by RDS in Secrets Manager, IAM authentication on"
  }

  assert {
    condition     = alltrue([for i in aws_rds_cluster_instance.this : !i.publicly_accessible && i.performance_insights_enabled])
    error_message = "no instance is publicly accessible"
  }

  assert {
    condition     = aws_db_subnet_group.this.subnet_ids == toset(var.subnet_ids)
    error_message = "the cluster lives in the private subnets given"
  }

  assert {
    condition     = anytrue([for p in aws_rds_cluster_parameter_group.this.parameter : p.name == "rds.force_ssl" && p.value == "1"])
    error_message = "the cluster refuses connections without TLS"
  }

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.clients) == ["sg-0ccccccccccccccc1"] && aws_vpc_security_group_ingress_rule.clients["sg-0ccccccccccccccc1"].from_port == 5432 && aws_vpc_security_group_ingress_rule.clients["sg-0ccccccccccccccc1"].to_port == 5432
    error_message = "the security group admits PostgreSQL from the client security groups only"
  }

  assert {
    condition     = aws_rds_cluster.this.deletion_protection && !aws_rds_cluster.this.skip_final_snapshot && aws_rds_cluster.this.final_snapshot_identifier == "gitops-dev-innovate-final"
    error_message = "by default the cluster is protected from deletion and leaves a final snapshot"
  }
}

run "prod_has_a_reader_in_another_az" {
  command = plan

  variables {
    instances             = 2
    backup_retention_days = 14
  }

  assert {
    condition     = length(aws_rds_cluster_instance.this) == 2 && aws_rds_cluster.this.backup_retention_period == 14
    error_message = "two instances (writer and reader) and two weeks of backups"
  }
}

run "dev_can_be_deleted_without_snapshot" {
  command = plan

  variables {
    deletion_protection = false
    final_snapshot      = false
  }

  assert {
    condition     = !aws_rds_cluster.this.deletion_protection && aws_rds_cluster.this.skip_final_snapshot && aws_rds_cluster.this.final_snapshot_identifier == null
    error_message = "without protection and final snapshot, the cluster can be destroyed"
  }
}

# One plan, validations that must each fail: a maximum below the minimum (and not in half ACUs),
# a single subnet (RDS needs two AZs).
run "validations_reject" {
  command = plan

  variables {
    min_capacity = 4
    max_capacity = 2.3
    subnet_ids   = ["subnet-0aaaaaaaaaaaaaaa1"]
  }

  expect_failures = [var.max_capacity, var.subnet_ids]
}
