# The CMI user's credentials and the two secrets through write-only arguments: Terraform 1.11 or
# newer. One password from the ephemeral resource contactpro_password goes to the CMI user
# (password_wo) and to its basic secret (secret_wo) in the same apply, and the RI API key to its
# header secret (secret_wo): none of them is stored in plan or state. A value is written on create
# and when its version changes. ../chat-attachment-upload has its own credentials.tf instead, with
# provider-generated credentials (Terraform 1.0 or newer).

variable "credentials_version" {
  description = "Any non-empty string; change it to write a new generated password to the CMI user and its secret in the same apply. Change it too when the user or the secret was re-created alone (deleted outside Terraform), so that both hold the same password again."
  type        = string
  default     = "1"

  validation {
    condition     = length(var.credentials_version) > 0
    error_message = "The credentials_version must not be empty."
  }
}

variable "ri_api_key" {
  description = "The RI API key received from Sinch, written to the header secret `ri-apikey` and never stored in plan or state. May be an ephemeral value."
  type        = string
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = length(var.ri_api_key) > 0
    error_message = "The ri_api_key must not be empty."
  }
}

variable "ri_api_key_version" {
  description = "Any non-empty string; change it, together with ri_api_key, to write a new RI API key."
  type        = string
  default     = "1"

  validation {
    condition     = length(var.ri_api_key_version) > 0
    error_message = "The ri_api_key_version must not be empty."
  }
}

# A new value in every plan and apply; written only where a version asks for it.
ephemeral "contactpro_password" "cmi" {}

resource "contactpro_user" "cmi" {
  first_name                 = var.cmi_user_first_name
  last_name                  = var.cmi_user_last_name
  login                      = var.cmi_user_login
  service_account            = true
  service_account_expires_at = var.service_account_expires_at
  user_group_ids             = [data.contactpro_user_group.cmi.id]

  password_wo         = ephemeral.contactpro_password.cmi.result
  password_wo_version = var.credentials_version

  # The orchestration layer must exist before anything is created for it.
  depends_on = [data.contactpro_secret.orchestration_layer]
}

resource "contactpro_secret" "cmi" {
  name        = var.cmi_secret_name
  description = "CMI API user for chat attachment upload"
  type        = "basic"

  # After the user (it names the user's login), with the same password in the same apply.
  authentication_id = contactpro_user.cmi.login
  secret_wo         = ephemeral.contactpro_password.cmi.result
  secret_wo_version = var.credentials_version
}

resource "contactpro_secret" "ri_api_key" {
  name              = var.ri_secret_name
  description       = "RI API key for chat attachment upload"
  type              = "header"
  secret_wo         = var.ri_api_key
  secret_wo_version = var.ri_api_key_version
}
