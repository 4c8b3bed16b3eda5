# Fails with an error naming the secret when it does not exist, for example before Sinch support
# has created `orchestration-layer`.
data "contactpro_secret" "orchestration_layer" {
  name = "orchestration-layer"
}

output "orchestration_layer_type" {
  value = data.contactpro_secret.orchestration_layer.type
}
