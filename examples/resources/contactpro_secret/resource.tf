resource "contactpro_user" "cmi" {
  first_name                 = "Api"
  last_name                  = "Attachments"
  login                      = "api.attachments"
  service_account            = true
  service_account_expires_at = "2030-12-31T00:00:00Z"
}

# The provider generates the user's password, sets it on the user and stores it here; the password
# is never in configuration, plan or state. Change `rotation` to rotate it.
resource "contactpro_secret" "cmi" {
  name        = "cmi-chat-attachment-upload-user"
  description = "CMI API user for chat attachment upload"
  type        = "basic"

  user_credentials {
    user_id  = contactpro_user.cmi.id
    rotation = "2026-11"
  }
}

# A header secret, such as an API key.
resource "contactpro_secret" "ri_api_key" {
  name   = "ri-apikey"
  type   = "header"
  secret = var.ri_api_key
}

variable "ri_api_key" {
  type      = string
  sensitive = true
}
