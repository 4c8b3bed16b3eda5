# Runs the write-only module against a tenant (Terraform 1.11 or newer): `contactpro-emulator` in
# CI, or a test tenant. The provider reads CONTACTPRO_URL, CONTACTPRO_USERNAME, CONTACTPRO_PASSWORD
# and CONTACTPRO_API_KEY from the environment. `terraform test` destroys what the runs created.
#
#   contactpro-emulator --data :memory: &
#   export CONTACTPRO_URL=http://127.0.0.1:8787/demo/RI CONTACTPRO_USERNAME=admin \
#          CONTACTPRO_PASSWORD=Emulator-Admin-Password-1 CONTACTPRO_API_KEY=demo-api-key
#   terraform test

provider "contactpro" {}

variables {
  cmi_user_login             = "api.module-wo-test"
  cmi_secret_name            = "module-wo-test-cmi-user"
  ri_secret_name             = "module-wo-test-ri-apikey"
  ri_api_key                 = "module-wo-test-api-key"
  service_account_expires_at = "2030-12-31T00:00:00Z"
}

run "write_only_credentials" {
  command = apply

  assert {
    condition     = contactpro_user.cmi.service_account && contactpro_user.cmi.login == "api.module-wo-test"
    error_message = "The CMI user must be a service account with the given login."
  }

  assert {
    condition     = contactpro_user.cmi.password_wo == null && contactpro_user.cmi.password_wo_version == "1"
    error_message = "The CMI user's password must be written through password_wo, and not kept."
  }

  assert {
    condition     = contactpro_secret.cmi.authentication_id == "api.module-wo-test" && contactpro_secret.cmi.value_managed && contactpro_secret.cmi.secret_wo == null && length(contactpro_secret.cmi.user_credentials) == 0
    error_message = "The basic secret must hold the CMI user's login and a password written through secret_wo."
  }

  assert {
    condition     = contactpro_secret.ri_api_key.secret == null && contactpro_secret.ri_api_key.secret_wo == null && contactpro_secret.ri_api_key.secret_wo_version == "1"
    error_message = "The RI API key must be written through secret_wo, and not kept."
  }

  assert {
    condition     = length(contactpro_user_rights.cmi.right) == 1 && one(contactpro_user_rights.cmi.right).object_type == "queue_group"
    error_message = "The CMI user must have one right, on the chat queue group."
  }
}

run "a_new_version_keeps_the_user" {
  command = apply

  variables {
    credentials_version = "2"
  }

  assert {
    condition     = output.cmi_user_id == run.write_only_credentials.cmi_user_id && contactpro_secret.cmi.secret_wo_version == "2"
    error_message = "A new password must not replace the user."
  }
}

run "refuses_an_empty_version" {
  command = plan

  variables {
    credentials_version = ""
  }

  expect_failures = [var.credentials_version]
}
