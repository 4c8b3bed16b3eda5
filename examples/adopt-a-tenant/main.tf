# Brings a live tenant's users and secrets under Terraform: the plural data sources list what
# exists, `import` blocks adopt each object, and the resources describe each object as the tenant
# holds it, so the first plan shows only imports and the plan after the apply shows no changes.
# Nothing is written to the tenant: no password and no secret value is set (see README.md).

data "contactpro_users" "existing" {
  login = var.user_login_pattern
}

data "contactpro_secrets" "existing" {
  name = var.secret_name_pattern
}

locals {
  # Instance keys are the natural keys (login, secret name), so addresses read well and stay
  # stable; the values are the ids that the imports take.
  users   = { for id, login in data.contactpro_users.existing.logins : login => id }
  secrets = { for id, name in data.contactpro_secrets.existing.names : name => id }
}

import {
  for_each = local.users
  to       = contactpro_user.adopted[each.key]
  id       = each.value
}

import {
  for_each = local.secrets
  to       = contactpro_secret.adopted[each.key]
  id       = each.value
}

resource "contactpro_user" "adopted" {
  for_each = local.users

  login           = each.key
  first_name      = data.contactpro_users.existing.first_names[each.value]
  last_name       = data.contactpro_users.existing.last_names[each.value]
  email           = lookup(data.contactpro_users.existing.emails, each.value, null)
  title           = lookup(data.contactpro_users.existing.titles, each.value, null)
  location        = lookup(data.contactpro_users.existing.locations, each.value, null)
  time_zone       = lookup(data.contactpro_users.existing.time_zones, each.value, null)
  ui_language     = lookup(data.contactpro_users.existing.ui_languages, each.value, null)
  prompt_language = lookup(data.contactpro_users.existing.prompt_languages, each.value, null)
  external_id     = lookup(data.contactpro_users.existing.external_ids, each.value, null)

  # Service accounts keep their expiry; `service_account` unset keeps what the tenant has.
  service_account            = contains(keys(data.contactpro_users.existing.service_account_expirations), each.value) ? true : null
  service_account_expires_at = lookup(data.contactpro_users.existing.service_account_expirations, each.value, null)

  # `user_group_ids`, `role_ids` and `password` unset: memberships and passwords are left alone.

  lifecycle {
    # Adopted users are shared with people and other tools: a typo in a pattern must not delete them.
    prevent_destroy = true
  }
}

resource "contactpro_secret" "adopted" {
  for_each = local.secrets

  name              = each.key
  type              = data.contactpro_secrets.existing.types[each.value]
  description       = lookup(data.contactpro_secrets.existing.descriptions, each.value, null)
  authentication_id = lookup(data.contactpro_secrets.existing.authentication_ids, each.value, null)
  access_token_url  = lookup(data.contactpro_secrets.existing.access_token_urls, each.value, null)

  # No `secret` and no `user_credentials`: the value stays whatever its owner stored, and the
  # provider never writes it (`value_managed = false`).

  lifecycle {
    prevent_destroy = true
  }
}
