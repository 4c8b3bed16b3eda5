# Defaults point at the local emulator's seeded `demo` tenant, so `terraform apply` needs no flags
# there. For a real tenant, set these in a *.tfvars file or as TF_VAR_* environment variables.

variable "contactpro_url" {
  description = "Base URL of the tenant's RI (everything before /rci)."
  type        = string
  default     = "http://127.0.0.1:8787/demo/RI"
}

variable "contactpro_api_key" {
  description = "API key of the tenant."
  type        = string
  default     = "demo-api-key"
  sensitive   = true
}

variable "contactpro_username" {
  description = "Logon name of the administrating API user."
  type        = string
  default     = "admin"
}

variable "contactpro_password" {
  description = "Password of the administrating API user."
  type        = string
  default     = "Emulator-Admin-Password-1"
  sensitive   = true
}

variable "service_account_expires_at" {
  description = "When the CMI user's service account expires (RFC 3339, in the future)."
  type        = string
  default     = "2030-12-31T00:00:00Z"
}

variable "ri_api_key" {
  description = "The RI API key to store in the `ri-apikey` secret."
  type        = string
  default     = "demo-api-key"
  sensitive   = true
}

variable "cmi_user_password" {
  description = "Optional typed password for the CMI user; null lets the provider generate one."
  type        = string
  default     = null
  sensitive   = true
}
