# Import by `<user id or login>/<role id or name>`.
terraform import contactpro_user_role_membership.api_agent "api.attachments/CC Agent"
terraform import contactpro_user_role_membership.api_agent 6F0C2A11B7E54D1C9A3F0E8D7C6B5A49/3906ECA4762C42588B55E5A66460D58E
