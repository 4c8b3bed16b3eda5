# Every user whose login starts with `api.`; an empty result is not an error. Filters take the
# API's wildcards (`*` any run of characters, `?` one character) and ignore case.
data "contactpro_users" "api" {
  login = "api.*"
}

# The maps are keyed by user id: `for_each` over one gives `each.key` = id.
output "api_user_logins" {
  value = data.contactpro_users.api.logins # { "<id>" = "api.attachments", ... }
}

output "api_user_count" {
  value = length(data.contactpro_users.api.ids)
}
