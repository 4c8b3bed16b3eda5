terraform {
  required_providers {
    contactpro = {
      source = "contactpro/contactpro"
    }
  }
}

# Credentials may also come from CONTACTPRO_URL, CONTACTPRO_API_KEY, CONTACTPRO_USERNAME and
# CONTACTPRO_PASSWORD; keep passwords and keys out of files.
provider "contactpro" {
  url      = "http://127.0.0.1:8787/demo/RI" # the local emulator's demo tenant
  api_key  = var.contactpro_api_key
  username = "admin"
  password = var.contactpro_password
}

variable "contactpro_api_key" {
  type      = string
  sensitive = true
}

variable "contactpro_password" {
  type      = string
  sensitive = true
}
