# Import the rights of a user by the user's id or login.
terraform import contactpro_user_rights.api 6F0C2A11B7E54D1C9A3F0E8D7C6B5A49
terraform import contactpro_user_rights.api api.attachments
