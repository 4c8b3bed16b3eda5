//! `contactpro_users`: the users matching optional wildcard filters, in one list walk.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::ValueEmpty;
use tf_provider::{DataSource, Diagnostics};

use super::listing::{
    by_id, filter_doc, filter_value, ids_list, list_failed, sort_by_key, TfList, TfMap,
};
use crate::tf::client_handle::ClientHandle;
use crate::tf::diag::FieldMap;
use crate::tf::schema::{block, computed, optional, schema, string, string_list, string_map};
use crate::tf::values::TfString;

const NAME: &str = "contactpro_users";

/// Filter attributes and the API's filter names.
const FILTERS: FieldMap = &[
    ("login", "login"),
    ("firstName", "first_name"),
    ("surname", "last_name"),
    ("email", "email"),
    ("externalId", "external_id"),
];

#[derive(Serialize, Deserialize, Default)]
pub struct UsersState {
    #[serde(default)]
    pub login: TfString,
    #[serde(default)]
    pub first_name: TfString,
    #[serde(default)]
    pub last_name: TfString,
    #[serde(default)]
    pub email: TfString,
    #[serde(default)]
    pub external_id: TfString,
    #[serde(default)]
    pub ids: TfList,
    #[serde(default)]
    pub logins: TfMap,
    #[serde(default)]
    pub first_names: TfMap,
    #[serde(default)]
    pub last_names: TfMap,
    #[serde(default)]
    pub emails: TfMap,
    #[serde(default)]
    pub external_ids: TfMap,
    #[serde(default)]
    pub titles: TfMap,
    #[serde(default)]
    pub locations: TfMap,
    #[serde(default)]
    pub time_zones: TfMap,
    #[serde(default)]
    pub ui_languages: TfMap,
    #[serde(default)]
    pub prompt_languages: TfMap,
    #[serde(default)]
    pub service_account_expirations: TfMap,
}

impl UsersState {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        let values = [
            &self.login,
            &self.first_name,
            &self.last_name,
            &self.email,
            &self.external_id,
        ];
        FILTERS
            .iter()
            .zip(values)
            .filter_map(|((api, _), v)| filter_value(v).map(|v| (*api, v)))
            .collect()
    }
}

pub struct UsersDataSource {
    client: ClientHandle,
}

impl UsersDataSource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for UsersDataSource {
    type State<'a> = UsersState;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Lists the users matching all of the set filters (every user the provider's API user may view when none is set), in one walk of the users list. An empty result is not an error. `ids` is sorted by login (ignoring case), then id; the maps are keyed by user id, so `for_each = data.contactpro_users.x.logins` gives `each.key` = id and `each.value` = login, for example in `import` blocks (Terraform 1.7 or later).",
            vec![
                ("login", optional(string(), &filter_doc("login"))),
                ("first_name", optional(string(), &filter_doc("first name"))),
                ("last_name", optional(string(), &filter_doc("last name"))),
                ("email", optional(string(), &filter_doc("e-mail address"))),
                ("external_id", optional(string(), &filter_doc("external id"))),
                ("ids", computed(string_list(), "Ids of the matching users, sorted by login (ignoring case), then id.")),
                ("logins", computed(string_map(), "Login of each matching user, keyed by id, as the tenant stores it.")),
                ("first_names", computed(string_map(), "First name of each matching user, keyed by id.")),
                ("last_names", computed(string_map(), "Last name of each matching user, keyed by id.")),
                ("emails", computed(string_map(), "E-mail address of each matching user that has one, keyed by id.")),
                ("external_ids", computed(string_map(), "External id of each matching user that has one, keyed by id.")),
                ("titles", computed(string_map(), "Title of each matching user that has one, keyed by id.")),
                ("locations", computed(string_map(), "Location of each matching user that has one, keyed by id.")),
                ("time_zones", computed(string_map(), "Time zone of each matching user that has one, keyed by id.")),
                ("ui_languages", computed(string_map(), "User interface language of each matching user that has one, keyed by id.")),
                ("prompt_languages", computed(string_map(), "Prompt language of each matching user that has one, keyed by id.")),
                ("service_account_expirations", computed(string_map(), "When the service account of each matching service account expires (RFC 3339), keyed by id; only where the users list reports it (tenants that offer the `serviceAccountExpiration` field), as reading each user's authentication tab would cost a call per user.")),
            ],
        )))
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::State<'a>> {
        let client = self.client.get(diags)?;
        let mut users = match client.list_users(&config.filters()).await {
            Ok(users) => users,
            Err(e) => {
                list_failed(diags, NAME, "users", &e, FILTERS);
                return None;
            }
        };
        sort_by_key(&mut users, |u| (&u.login, &u.id));
        Some(UsersState {
            ids: ids_list(users.iter().map(|u| u.id.as_str())),
            logins: by_id(
                users
                    .iter()
                    .map(|u| (u.id.as_str(), Some(u.login.as_str()))),
            ),
            first_names: by_id(
                users
                    .iter()
                    .map(|u| (u.id.as_str(), Some(u.first_name.as_str()))),
            ),
            last_names: by_id(
                users
                    .iter()
                    .map(|u| (u.id.as_str(), Some(u.surname.as_str()))),
            ),
            emails: by_id(users.iter().map(|u| (u.id.as_str(), u.email.as_deref()))),
            external_ids: by_id(
                users
                    .iter()
                    .map(|u| (u.id.as_str(), u.external_id.as_deref())),
            ),
            titles: by_id(users.iter().map(|u| (u.id.as_str(), u.title.as_deref()))),
            locations: by_id(users.iter().map(|u| (u.id.as_str(), u.location.as_deref()))),
            time_zones: by_id(
                users
                    .iter()
                    .map(|u| (u.id.as_str(), u.time_zone.as_deref())),
            ),
            ui_languages: by_id(
                users
                    .iter()
                    .map(|u| (u.id.as_str(), u.ui_language.as_deref())),
            ),
            prompt_languages: by_id(
                users
                    .iter()
                    .map(|u| (u.id.as_str(), u.prompt_language.as_deref())),
            ),
            service_account_expirations: by_id(
                users
                    .iter()
                    .map(|u| (u.id.as_str(), u.service_account_expiration.as_deref())),
            ),
            ..config
        })
    }
}
