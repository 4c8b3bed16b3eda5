variable "emulator_url" {
  description = "Scheme, host and port of the emulator; each tenant lives under /<tenant>/RI."
  type        = string
  default     = "http://127.0.0.1:8787"
}

variable "admin_username" {
  description = "Logon name of the administrating API user (the same in both tenants)."
  type        = string
  default     = "admin"
}

variable "admin_password" {
  description = "Password of the administrating API user (the same in both tenants)."
  type        = string
  default     = "Emulator-Admin-Password-1"
  sensitive   = true
}

variable "service_account_expires_at" {
  description = "When the CMI users' service accounts expire (RFC 3339, in the future)."
  type        = string
  default     = "2030-12-31T00:00:00Z"
}
