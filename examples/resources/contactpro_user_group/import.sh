# Import a user group by its id or by its name.
terraform import contactpro_user_group.integrations 3906ECA4762C42588B55E5A66460D58E
terraform import contactpro_user_group.integrations Integrations
