# Runs the module against a tenant: `contactpro-emulator` in CI, or a test tenant. The provider
# reads CONTACTPRO_URL, CONTACTPRO_USERNAME, CONTACTPRO_PASSWORD and CONTACTPRO_API_KEY from the
# environment. `terraform test` destroys what the runs created when it ends.
#
#   contactpro-emulator --data :memory: &
#   export CONTACTPRO_URL=http://127.0.0.1:8787/demo/RI CONTACTPRO_USERNAME=admin \
#          CONTACTPRO_PASSWORD=Emulator-Admin-Password-1 CONTACTPRO_API_KEY=demo-api-key
#   terraform test -filter=tests/emulator.tftest.hcl

provider "contactpro" {}

variables {
  cmi_user_login             = "api.module-test"
  cmi_secret_name            = "module-test-cmi-user"
  ri_secret_name             = "module-test-ri-apikey"
  ri_api_key                 = "module-test-api-key"
  service_account_expires_at = "2030-12-31T00:00:00Z"
}

run "generated_credentials" {
  command = apply

  assert {
    condition     = contactpro_user.cmi.service_account && contactpro_user.cmi.login == "api.module-test"
    error_message = "The CMI user must be a service account with the given login."
  }

  assert {
    condition     = length(contactpro_user_rights.cmi.right) == 1 && one(contactpro_user_rights.cmi.right).object_type == "queue_group"
    error_message = "The CMI user must have one right, on the chat queue group."
  }

  assert {
    condition     = contactpro_secret.cmi.authentication_id == "api.module-test" && contactpro_secret.cmi.value_managed
    error_message = "The basic secret must hold the CMI user's login and a value the provider writes."
  }

  assert {
    condition     = length(output.orchestration_layer_secret_id) == 32
    error_message = "The orchestration-layer secret must be found."
  }
}

run "a_new_rotation_keeps_the_user" {
  command = apply

  variables {
    password_rotation = "2"
  }

  assert {
    condition     = output.cmi_user_id == run.generated_credentials.cmi_user_id
    error_message = "Rotating the password must not replace the user."
  }
}
