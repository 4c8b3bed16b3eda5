terraform {
  # Write-only arguments (password_wo, secret_wo) and ephemeral variables and resources.
  required_version = ">= 1.11"

  required_providers {
    contactpro = {
      source = "contactpro/contactpro"
    }
  }
}
