variable "user_login_pattern" {
  description = "Which users to adopt, by login: `*` any run of characters, `?` one character, case ignored."
  type        = string
  default     = "*"
}

variable "secret_name_pattern" {
  description = "Which secrets to adopt, by name, with the same wildcards."
  type        = string
  default     = "*"
}
