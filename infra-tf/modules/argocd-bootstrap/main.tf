# Argo CD by Helm, then the objects it needs to take over from git: the AppProject of the root
# Application and the root Application itself (clusters/<env>/bootstrap/root-app.yaml), both read
# from the repository so the bootstrap can never disagree with git. From then on Argo CD syncs
# clusters/<env>/ (projects, then platform add-ons, then workloads, by sync wave).
#
# The root objects are a second release (argocd-apps chart), not kubernetes_manifest: the
# Application CRD only exists once the first release is installed, and kubernetes_manifest needs
# it at plan time.

locals {
  root_app = yamldecode(file(var.root_application_file))
  projects = [for f in var.bootstrap_project_files : yamldecode(file(f))]

  ha_values = {
    redis-ha       = { enabled = true }
    controller     = { replicas = 1 }
    server         = { replicas = 2 }
    repoServer     = { replicas = 2 }
    applicationSet = { replicas = 2 }
  }

  argo_cd_values = {
    global = { domain = var.server_hostname }
    configs = {
      params = { "server.insecure" = true } # TLS ends at the ALB
      cm = {
        "accounts.${var.drift_account}" = "apiKey"
        "exec.enabled"                  = false
      }
      rbac = {
        "policy.default" = ""
        "policy.csv"     = "g, ${var.drift_account}, role:readonly\n"
      }
    }
    server = {
      ingress = {
        enabled          = true
        ingressClassName = "alb"
        annotations = {
          "alb.ingress.kubernetes.io/scheme"           = "internal"
          "alb.ingress.kubernetes.io/target-type"      = "ip"
          "alb.ingress.kubernetes.io/listen-ports"     = "[{\"HTTPS\":443}]"
          "alb.ingress.kubernetes.io/ssl-policy"       = "ELBSecurityPolicy-TLS13-1-2-2021-06"
          "alb.ingress.kubernetes.io/backend-protocol" = "HTTP"
        }
      }
    }
  }

  apps_values = {
    projects = {
      for p in local.projects : p.metadata.name => merge(
        p.spec,
        {
          namespace             = var.namespace
          additionalLabels      = try(p.metadata.labels, {})
          additionalAnnotations = try(p.metadata.annotations, {})
          finalizers            = try(p.metadata.finalizers, [])
        },
      )
    }
    applications = {
      (local.root_app.metadata.name) = merge(
        local.root_app.spec,
        {
          namespace             = var.namespace
          additionalLabels      = try(local.root_app.metadata.labels, {})
          additionalAnnotations = try(local.root_app.metadata.annotations, {})
          finalizers            = try(local.root_app.metadata.finalizers, [])
        },
      )
    }
  }
}

resource "helm_release" "argo_cd" {
  name             = "argo-cd"
  namespace        = var.namespace
  create_namespace = true
  repository       = "https://argoproj.github.io/argo-helm"
  chart            = "argo-cd"
  version          = var.argo_cd_chart_version

  values = concat(
    [yamlencode(local.argo_cd_values)],
    [file("${path.module}/values/argo-cd.yaml")], # Application health for the sync waves (GO406)
    var.high_availability ? [yamlencode(local.ha_values)] : [],
  )

  atomic          = true
  cleanup_on_fail = true
  timeout         = 900
}

resource "helm_release" "root" {
  name       = "argocd-root"
  namespace  = var.namespace
  repository = "https://argoproj.github.io/argo-helm"
  chart      = "argocd-apps"
  version    = var.argocd_apps_chart_version

  values = [yamlencode(local.apps_values)]

  atomic = true

  depends_on = [helm_release.argo_cd]

  lifecycle {
    precondition {
      condition     = local.root_app.kind == "Application" && alltrue([for p in local.projects : p.kind == "AppProject"])
      error_message = "root_application_file must hold an Application and bootstrap_project_files AppProjects."
    }
  }
}
