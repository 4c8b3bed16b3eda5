# Metadata of every secret whose name starts with `cmi-`, never a value; possibly none.
data "contactpro_secrets" "cmi" {
  name = "cmi-*"
}

output "cmi_secret_names" {
  value = data.contactpro_secrets.cmi.names # { "<id>" = "cmi-chat-attachment-upload-user", ... }
}

output "has_orchestration_layer" {
  value = contains(values(data.contactpro_secrets.cmi.names), "orchestration-layer")
}
