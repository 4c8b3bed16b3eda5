# Every queue whose name starts with `Chat`; `channels` tells the chat queues from the others.
data "contactpro_queues" "chat" {
  name = "Chat*"
}

output "chat_queue_ids" {
  value = [for id, channel in data.contactpro_queues.chat.channels : id if channel == "chat"]
}
