# Import by id (32 hexadecimal characters) or by name. The value cannot be read back: after an
# import, leave `secret` and `user_credentials` out to keep the stored value untouched (only the
# metadata is managed), or set one of them and apply to write a known value.
terraform import contactpro_secret.ri_api_key 3906ECA4762C42588B55E5A66460D58E
terraform import contactpro_secret.ri_api_key ri-apikey
