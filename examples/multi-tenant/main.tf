# One configuration, two tenants: each aliased provider block talks to one tenant, and each module
# call is handed its tenant's provider.

provider "contactpro" {
  alias    = "demo"
  url      = "${var.emulator_url}/demo/RI"
  api_key  = "demo-api-key"
  username = var.admin_username
  password = var.admin_password
}

provider "contactpro" {
  alias    = "acme"
  url      = "${var.emulator_url}/acme/RI"
  api_key  = "acme-api-key"
  username = var.admin_username
  password = var.admin_password
}

module "demo" {
  source = "../chat-attachment-upload/modules/chat-attachment-upload"
  providers = {
    contactpro = contactpro.demo
  }

  service_account_expires_at = var.service_account_expires_at
  ri_api_key                 = "demo-api-key"
}

module "acme" {
  source = "../chat-attachment-upload/modules/chat-attachment-upload"
  providers = {
    contactpro = contactpro.acme
  }

  service_account_expires_at = var.service_account_expires_at
  ri_api_key                 = "acme-api-key"
  # Grant on single queues instead of the queue group.
  chat_queue_names = ["Chat Support", "Chat Sales"]
}
