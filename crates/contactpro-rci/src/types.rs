//! Wire types of the RCI contract (docs/api/contract.md), as the client sees them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A write-only value (password, API key, secret). Debug and Display never show it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub first_name: String,
    pub surname: String,
    pub login: String,
    pub email: Option<String>,
    pub title: Option<String>,
    pub location: Option<String>,
    pub time_zone: Option<String>,
    pub ui_language: Option<String>,
    pub prompt_language: Option<String>,
    pub external_id: Option<String>,
    pub password_expiration: Option<String>,
    /// Authentication summary, when the server includes it (contract.md); `None` means "not
    /// sent": read `users/{id}/authentication` instead.
    #[serde(default)]
    pub service_account: Option<bool>,
    /// Meaningful only when `service_account` is `Some`.
    #[serde(default)]
    pub service_account_expiration: Option<String>,
    /// Membership ids, when the server includes them; `None`: read the membership lists.
    #[serde(default)]
    pub user_group_ids: Option<Vec<String>>,
    #[serde(default)]
    pub role_ids: Option<Vec<String>>,
}

/// Body of POST users and PUT users/{id} (a full replace).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserInput {
    pub first_name: String,
    pub surname: String,
    pub login: String,
    pub email: Option<String>,
    pub title: Option<String>,
    pub location: Option<String>,
    pub time_zone: Option<String>,
    pub ui_language: Option<String>,
    pub prompt_language: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Authentication {
    pub login: String,
    #[serde(default)]
    pub service_account: bool,
    pub service_account_expiration: Option<String>,
    pub password_expiration: Option<String>,
    #[serde(default)]
    pub password_set: bool,
}

/// Body of PUT users/{id}/authentication. `password: None` keeps the current password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationInput {
    pub login: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<SecretString>,
    pub service_account: bool,
    pub service_account_expiration: Option<String>,
}

/// A group, role or queue reference as lists return them.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize, Default)]
pub struct NamedRef {
    pub id: String,
    /// Not promised by the documentation: empty when absent.
    #[serde(default)]
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Right {
    pub id: String,
    pub object_type: String,
    pub object_id: String,
    pub access_types: Vec<String>,
    #[serde(default)]
    pub grant: Vec<String>,
}

/// Body of POST and PUT of a right; types use the wire (PascalCase) names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RightInput {
    pub object_type: String,
    pub object_id: String,
    pub access_types: Vec<String>,
    pub grant: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub authentication_id: Option<String>,
    pub access_token_url: Option<String>,
    #[serde(default)]
    pub secret_set: bool,
}

/// Body of POST secrets and PUT secrets/{id}. `secret: None` on PUT keeps the stored value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SecretInput {
    pub name: String,
    pub description: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub authentication_id: Option<String>,
    pub access_token_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretString>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserGroup {
    pub id: String,
    /// Empty when the server omits it; such a group matches no name.
    #[serde(default)]
    pub name: String,
    pub parent_id: Option<String>,
}

/// Body of POST userGroups and PUT userGroups/{id}.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserGroupInput {
    pub name: String,
    pub parent_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Default)]
pub struct Queue {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// Not promised by the documentation.
    #[serde(default)]
    pub channel: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct QueueGroup {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// Not promised by the documentation: `None` when the server omits it (not "no queues").
    #[serde(default)]
    pub queue_ids: Option<Vec<String>>,
}
