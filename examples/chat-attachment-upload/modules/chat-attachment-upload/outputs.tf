output "cmi_user_id" {
  description = "Id of the CMI API user."
  value       = contactpro_user.cmi.id
}

output "cmi_user_login" {
  description = "Logon name of the CMI API user."
  value       = contactpro_user.cmi.login
}

output "cmi_secret_id" {
  description = "Id of the basic secret with the CMI user's credentials."
  value       = contactpro_secret.cmi.id
}

output "ri_api_key_secret_id" {
  description = "Id of the header secret with the RI API key."
  value       = contactpro_secret.ri_api_key.id
}

output "orchestration_layer_secret_id" {
  description = "Id of the support-made orchestration-layer secret."
  value       = data.contactpro_secret.orchestration_layer.id
}
