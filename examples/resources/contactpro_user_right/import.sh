# Import one right by `<user id or login>/<object_type>/<object_id>`. The imported resource owns
# every access type the right has at import time.
terraform import contactpro_user_right.attachments api.attachments/queue_group/3906ECA4762C42588B55E5A66460D58E
terraform import contactpro_user_right.attachments 6F0C2A11B7E54D1C9A3F0E8D7C6B5A49/queue_group/3906ECA4762C42588B55E5A66460D58E
