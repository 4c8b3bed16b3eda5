data "contactpro_user_group" "agents" {
  name = "Sample Agents Group"
}

data "contactpro_user" "api" {
  login = "api.attachments"
}

# Adds the user to one group; the user's other groups are left alone.
resource "contactpro_user_group_membership" "api_agents" {
  user_id       = data.contactpro_user.api.id
  user_group_id = data.contactpro_user_group.agents.id
}
