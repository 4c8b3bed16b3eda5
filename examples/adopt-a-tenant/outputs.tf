output "adopted_user_count" {
  value = length(local.users)
}

output "adopted_secret_count" {
  value = length(local.secrets)
}
