# Import by id (32 hexadecimal characters) or by login.
terraform import contactpro_user.api 6F0C2A11B7E54D1C9A3F0E8D7C6B5A49
terraform import contactpro_user.api api.attachments
