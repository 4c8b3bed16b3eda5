output "cmi_user_id" {
  description = "Id of the CMI API user."
  value       = module.chat_attachment_upload.cmi_user_id
}

output "cmi_user_login" {
  description = "Logon name of the CMI API user."
  value       = module.chat_attachment_upload.cmi_user_login
}

output "cmi_secret_id" {
  description = "Id of the cmi-chat-attachment-upload-user secret."
  value       = module.chat_attachment_upload.cmi_secret_id
}

output "ri_api_key_secret_id" {
  description = "Id of the ri-apikey secret."
  value       = module.chat_attachment_upload.ri_api_key_secret_id
}
