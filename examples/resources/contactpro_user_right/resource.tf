data "contactpro_queue_group" "chat" {
  name = "Chat Queues"
}

data "contactpro_user" "api" {
  login = "api.attachments"
}

# One module grants Manage Contact History on the chat queues ...
resource "contactpro_user_right" "attachments" {
  user_id     = data.contactpro_user.api.id
  object_type = "queue_group"
  object_id   = data.contactpro_queue_group.chat.id
  access      = ["view", "manage_contact_history"]
}

# ... and another module grants Listen To Recording on the same object: the two merge into one
# right, and each removes only its own access types.
resource "contactpro_user_right" "transcripts" {
  user_id     = data.contactpro_user.api.id
  object_type = "queue_group"
  object_id   = data.contactpro_queue_group.chat.id
  access      = ["listen_to_recording"]
}
