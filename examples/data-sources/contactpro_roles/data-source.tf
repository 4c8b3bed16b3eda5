# Every role whose name contains `Agent`, ignoring case.
data "contactpro_roles" "agent" {
  name = "*agent*"
}

output "agent_role_names" {
  value = data.contactpro_roles.agent.names # { "<id>" = "<name>", ... }
}
