provider "contactpro" {
  url      = var.contactpro_url
  api_key  = var.contactpro_api_key
  username = var.contactpro_username
  password = var.contactpro_password
}

module "chat_attachment_upload" {
  source = "./modules/chat-attachment-upload"

  user_group_name            = "Sample Agents Group"
  chat_queue_group_name      = "Chat Queues"
  service_account_expires_at = var.service_account_expires_at
  ri_api_key                 = var.ri_api_key
  cmi_user_password          = var.cmi_user_password
}
