# A subgroup of All Users (the default parent) for integration users ...
resource "contactpro_user_group" "integrations" {
  name = "Integrations"
}

# ... and one below it.
resource "contactpro_user_group" "chat_attachments" {
  name      = "Chat Attachment Upload"
  parent_id = contactpro_user_group.integrations.id
}
