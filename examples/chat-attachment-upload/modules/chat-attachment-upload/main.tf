# Chat attachment upload, "Before you start": a dedicated CMI API user (service account) in a user
# group, Manage Contact History on the chat queues, and the secrets the orchestration layer uses.
# This file, variables.tf and outputs.tf are shared with ../chat-attachment-upload-write-only
# (symbolic links there); credentials.tf, with the user and the secrets, is each module's own.

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
  chat_objects = length(var.chat_queue_names) == 0 ? [
    { type = "queue_group", id = data.contactpro_queue_group.chat[0].id }
    ] : [
    for queue in data.contactpro_queue.chat : { type = "queue", id = queue.id }
  ]
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
