data "contactpro_queue_group" "chat" {
  name = "Chat Queues"
}

data "contactpro_queue" "phone" {
  name = "Phone Support"
}

data "contactpro_user" "api" {
  login = "api.attachments"
}

# Every right of the user: rights not listed here are removed on apply.
resource "contactpro_user_rights" "api" {
  user_id = data.contactpro_user.api.id

  right {
    object_type = "queue_group"
    object_id   = data.contactpro_queue_group.chat.id
    access      = ["view", "manage_contact_history"]
  }

  right {
    object_type = "queue"
    object_id   = data.contactpro_queue.phone.id
    access      = ["view", "listen_to_recording"]
    grant       = ["view"]
  }
}
