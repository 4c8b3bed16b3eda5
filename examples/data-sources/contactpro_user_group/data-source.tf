data "contactpro_user_group" "agents" {
  name = "Sample Agents Group"
}

output "agents_group_id" {
  value = data.contactpro_user_group.agents.id
}
