data "contactpro_user_group" "agents" {
  name = "Sample Agents Group"
}

# A dedicated API user for an integration: a service account, placed in a subgroup of All Users.
resource "contactpro_user" "api" {
  first_name                 = "Api"
  last_name                  = "Attachments"
  login                      = "api.attachments"
  email                      = "api.attachments@example.com"
  service_account            = true
  service_account_expires_at = "2030-12-31T00:00:00Z"
  user_group_ids             = [data.contactpro_user_group.agents.id]
  # No `password`: contactpro_secret's user_credentials block generates one (see contactpro_secret).
}
