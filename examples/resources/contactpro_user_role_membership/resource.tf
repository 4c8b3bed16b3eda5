data "contactpro_user" "api" {
  login = "api.attachments"
}

variable "agent_role_id" {
  description = "Id of the role \"CC Agent\" (System Configurator, or `terraform import` by name)."
  type        = string
}

# Gives the user one role; the user's other roles are left alone.
resource "contactpro_user_role_membership" "api_agent" {
  user_id = data.contactpro_user.api.id
  role_id = var.agent_role_id
}
