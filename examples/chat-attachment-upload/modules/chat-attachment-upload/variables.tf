variable "user_group_name" {
  description = "Name of the user group the CMI upload user is placed in: All Users or one of its subgroups."
  type        = string
  default     = "Sample Agents Group"

  validation {
    condition     = length(trimspace(var.user_group_name)) > 0
    error_message = "The user_group_name must not be empty."
  }
}

variable "chat_queue_group_name" {
  description = "Name of the queue group holding the chat queues; the CMI user gets Manage Contact History on it. Ignored when chat_queue_names is not empty."
  type        = string
  default     = "Chat Queues"

  validation {
    condition     = length(trimspace(var.chat_queue_group_name)) > 0
    error_message = "The chat_queue_group_name must not be empty."
  }
}

variable "chat_queue_names" {
  description = "Names of single chat queues to grant Manage Contact History on, instead of the queue group. Empty (the default) means: use the queue group."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.chat_queue_names : length(trimspace(name)) > 0])
    error_message = "The chat_queue_names must not contain empty names."
  }
}

variable "cmi_user_login" {
  description = "Logon name of the dedicated CMI API user that uploads chat attachments."
  type        = string
  default     = "api.attachments"

  validation {
    condition     = can(regex("^[A-Za-z0-9._@-]+$", var.cmi_user_login))
    error_message = "The cmi_user_login may contain only letters, digits, '.', '_', '@' and '-'."
  }
}

variable "cmi_user_first_name" {
  description = "First name of the CMI API user."
  type        = string
  default     = "Api"
}

variable "cmi_user_last_name" {
  description = "Last name of the CMI API user."
  type        = string
  default     = "Attachments"
}

variable "service_account_expires_at" {
  description = "When the CMI user's service account expires, as an RFC 3339 time in the future, for example 2027-06-30T00:00:00Z."
  type        = string

  validation {
    # formatdate fails on anything that is not an RFC 3339 timestamp (works on Terraform 1.0).
    condition     = can(formatdate("YYYY-MM-DD", var.service_account_expires_at))
    error_message = "The service_account_expires_at must be an RFC 3339 time such as 2027-06-30T00:00:00Z."
  }
}

variable "cmi_secret_name" {
  description = "Name of the basic secret holding the CMI user's login and password."
  type        = string
  default     = "cmi-chat-attachment-upload-user"
}

variable "ri_secret_name" {
  description = "Name of the header secret holding the RI API key."
  type        = string
  default     = "ri-apikey"
}
