# The CMI user's credentials and the two secrets, with provider-generated credentials
# (`user_credentials`) by default: Terraform 1.0 or newer. ../chat-attachment-upload-write-only has
# its own credentials.tf instead, with write-only arguments (Terraform 1.11 or newer).

variable "password_rotation" {
  description = "Any non-empty string; change it to make the provider generate a new password for the CMI user and store it in the secret. Unused when cmi_user_password is set."
  type        = string
  default     = "1"

  validation {
    condition     = length(var.password_rotation) > 0
    error_message = "The password_rotation must not be empty."
  }
}

variable "cmi_user_password" {
  description = "Optional password for the CMI user. Null (the default) lets the provider generate one that never appears in state; a value here is set on the user and stored in the secret, and is kept in state (sensitive)."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.cmi_user_password == null ? true : length(var.cmi_user_password) >= 16
    error_message = "The cmi_user_password must be at least 16 characters (the tenant's password policy)."
  }
}

variable "ri_api_key" {
  description = "The RI API key received from Sinch, stored in the header secret `ri-apikey`."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.ri_api_key) > 0
    error_message = "The ri_api_key must not be empty."
  }
}

locals {
  # The password variable is sensitive, and Terraform refuses sensitive values in for_each; whether
  # it is set is not a secret.
  generate_password = nonsensitive(var.cmi_user_password == null)
}

resource "contactpro_user" "cmi" {
  first_name                 = var.cmi_user_first_name
  last_name                  = var.cmi_user_last_name
  login                      = var.cmi_user_login
  service_account            = true
  service_account_expires_at = var.service_account_expires_at
  user_group_ids             = [data.contactpro_user_group.cmi.id]

  # Null unless a password was typed in: then contactpro_secret.cmi generates and sets it.
  password = var.cmi_user_password

  # The orchestration layer must exist before anything is created for it.
  depends_on = [data.contactpro_secret.orchestration_layer]
}

resource "contactpro_secret" "cmi" {
  name        = var.cmi_secret_name
  description = "CMI API user for chat attachment upload"
  type        = "basic"

  # With a typed password the secret needs the login and the password; with generated credentials
  # the provider fills in both.
  authentication_id = local.generate_password ? null : contactpro_user.cmi.login
  secret            = var.cmi_user_password

  dynamic "user_credentials" {
    for_each = local.generate_password ? [1] : []
    content {
      user_id  = contactpro_user.cmi.id
      rotation = var.password_rotation
    }
  }
}

resource "contactpro_secret" "ri_api_key" {
  name        = var.ri_secret_name
  description = "RI API key for chat attachment upload"
  type        = "header"
  secret      = var.ri_api_key
}
