# Every queue group the provider's API user may view (no filter).
data "contactpro_queue_groups" "all" {}

output "queue_group_names" {
  value = data.contactpro_queue_groups.all.names # { "<id>" = "<name>", ... }
}
