terraform {
  required_version = ">= 1.0"

  required_providers {
    contactpro = {
      source = "contactpro/contactpro"
    }
  }
}
