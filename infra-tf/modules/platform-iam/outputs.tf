output "pod_identities" {
  description = "Pod Identity entries for the eks module's pod_identities: namespace, service_account and policy_json per identity key."
  value = {
    for name, policy in local.policies : name => {
      namespace       = var.service_accounts[name].namespace
      service_account = var.service_accounts[name].service_account
      policy_json     = policy
    }
  }
}
