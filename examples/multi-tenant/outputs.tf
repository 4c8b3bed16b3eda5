output "cmi_user_ids" {
  description = "Id of the CMI API user, per tenant."
  value = {
    demo = module.demo.cmi_user_id
    acme = module.acme.cmi_user_id
  }
}

output "cmi_secret_ids" {
  description = "Id of the cmi-chat-attachment-upload-user secret, per tenant."
  value = {
    demo = module.demo.cmi_secret_id
    acme = module.acme.cmi_secret_id
  }
}
