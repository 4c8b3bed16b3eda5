# Chat attachment upload, "Before you start": a dedicated CMI API user (service account) in a user
# group, Manage Contact History on the chat queues, and the secrets the orchestration layer uses.

# Fails with a clear error when Sinch support has not yet created the orchestration layer's secret:
# nothing else here is useful without it.
data "contactpro_secret" "orchestration_layer" {
  name = "orchestration-layer"
}

data "contactpro_user_group" "cmi" {
  name = var.user_group_name
}

data "contactpro_queue_group" "chat" {
  count = length(var.chat_queue_names) == 0 ? 1 : 0
  name  = var.chat_queue_group_name
}

data "contactpro_queue" "chat" {
  for_each = toset(var.chat_queue_names)
  name     = each.value
}

locals {
  # The password variable is sensitive, and Terraform refuses sensitive values in for_each; whether
  # it is set is not a secret.
  generate_password = nonsensitive(var.cmi_user_password == null)

  chat_objects = length(var.chat_queue_names) == 0 ? [
    { type = "queue_group", id = data.contactpro_queue_group.chat[0].id }
    ] : [
    for queue in data.contactpro_queue.chat : { type = "queue", id = queue.id }
  ]
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

resource "contactpro_user_rights" "cmi" {
  user_id = contactpro_user.cmi.id

  dynamic "right" {
    for_each = local.chat_objects
    content {
      object_type = right.value.type
      object_id   = right.value.id
      access      = ["view", "manage_contact_history"]
    }
  }
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
