# Import by `<user id or login>/<user group id or name>`.
terraform import contactpro_user_group_membership.api_agents "api.attachments/Sample Agents Group"
terraform import contactpro_user_group_membership.api_agents 6F0C2A11B7E54D1C9A3F0E8D7C6B5A49/3906ECA4762C42588B55E5A66460D58E
