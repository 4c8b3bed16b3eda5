# User groups whose name matches `Sample * Group`.
data "contactpro_user_groups" "samples" {
  name = "Sample * Group"
}

output "sample_group_ids" {
  value = data.contactpro_user_groups.samples.ids # sorted by name, then id
}

output "sample_group_parents" {
  value = data.contactpro_user_groups.samples.parent_ids # { "<id>" = "<parent id>", ... }
}
