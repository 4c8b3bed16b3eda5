data "contactpro_user" "api" {
  login = "api.attachments"
}

output "api_user_id" {
  value = data.contactpro_user.api.id
}
