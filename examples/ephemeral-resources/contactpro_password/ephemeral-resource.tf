# A password for the CMI API user, made for this run only (Terraform 1.11 or newer): the same value
# goes to the user and to its basic secret in one apply, and neither plan nor state holds it.
ephemeral "contactpro_password" "cmi" {
  length = 40
}

resource "contactpro_user" "cmi" {
  first_name                 = "Api"
  last_name                  = "Attachments"
  login                      = "api.attachments"
  service_account            = true
  service_account_expires_at = "2027-06-30T00:00:00Z"

  password_wo         = ephemeral.contactpro_password.cmi.result
  password_wo_version = 1 # change both versions together to write a new password
}

resource "contactpro_secret" "cmi" {
  name              = "cmi-chat-attachment-upload-user"
  type              = "basic"
  authentication_id = contactpro_user.cmi.login

  secret_wo         = ephemeral.contactpro_password.cmi.result
  secret_wo_version = 1
}
