terraform {
  # `import` blocks with `for_each` need Terraform 1.7 or later.
  required_version = ">= 1.7"

  required_providers {
    contactpro = {
      source = "contactpro/contactpro"
    }
  }
}

# Settings come from the environment: CONTACTPRO_URL, CONTACTPRO_API_KEY, CONTACTPRO_USERNAME,
# CONTACTPRO_PASSWORD.
provider "contactpro" {}
