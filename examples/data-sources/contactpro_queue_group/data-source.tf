data "contactpro_queue_group" "chat" {
  name = "Chat Queues"
}

output "chat_queue_ids" {
  value = data.contactpro_queue_group.chat.queue_ids
}
