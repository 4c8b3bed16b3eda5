data "contactpro_queue" "chat_support" {
  name = "Chat Support"
}

output "chat_support_channel" {
  value = data.contactpro_queue.chat_support.channel # "chat"
}
