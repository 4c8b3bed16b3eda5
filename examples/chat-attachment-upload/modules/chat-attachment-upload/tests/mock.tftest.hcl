# Runs without a tenant: `mock_provider` (Terraform 1.7 or later) answers every read and write of
# the contactpro provider with the values below (or generated ones), so these runs check the
# module's own logic: which secret shape it picks, and what its variables refuse.
#
#   terraform test -filter=tests/mock.tftest.hcl

mock_provider "contactpro" {
  mock_data "contactpro_user_group" {
    defaults = {
      id = "11111111111111111111111111111111"
    }
  }

  mock_data "contactpro_queue_group" {
    defaults = {
      id = "22222222222222222222222222222222"
    }
  }

  mock_data "contactpro_secret" {
    defaults = {
      id   = "33333333333333333333333333333333"
      type = "oauth"
    }
  }

  mock_resource "contactpro_user" {
    defaults = {
      id = "44444444444444444444444444444444"
    }
  }
}

variables {
  ri_api_key                 = "mock-api-key"
  service_account_expires_at = "2030-12-31T00:00:00Z"
}

run "generated_credentials_by_default" {
  command = apply

  assert {
    condition     = length(contactpro_secret.cmi.user_credentials) == 1 && contactpro_secret.cmi.secret == null
    error_message = "Without a typed password the provider must generate the credentials."
  }

  assert {
    condition     = one(contactpro_secret.cmi.user_credentials).user_id == "44444444444444444444444444444444"
    error_message = "The credentials must be those of the CMI user."
  }

  assert {
    condition     = one(contactpro_user_rights.cmi.right).object_id == "22222222222222222222222222222222"
    error_message = "The right must be on the chat queue group."
  }
}

run "single_chat_queues" {
  command = apply

  variables {
    chat_queue_names = ["Chat Support", "Chat Sales"]
  }

  # The provider checks ids, so each mocked queue gets one of its own.
  override_data {
    target = data.contactpro_queue.chat["Chat Support"]
    values = {
      id = "55555555555555555555555555555555"
    }
  }

  override_data {
    target = data.contactpro_queue.chat["Chat Sales"]
    values = {
      id = "66666666666666666666666666666666"
    }
  }

  assert {
    condition     = length(contactpro_user_rights.cmi.right) == 2 && alltrue([for r in contactpro_user_rights.cmi.right : r.object_type == "queue"])
    error_message = "Each named chat queue must get its own right."
  }
}

run "typed_password" {
  command = apply

  variables {
    cmi_user_password = "Typed-Password-123456"
  }

  assert {
    condition     = length(contactpro_secret.cmi.user_credentials) == 0 && contactpro_secret.cmi.authentication_id == var.cmi_user_login
    error_message = "A typed password must be stored with the login, without generated credentials."
  }
}

run "refuses_an_empty_rotation" {
  command = plan

  variables {
    password_rotation = ""
  }

  expect_failures = [var.password_rotation]
}
