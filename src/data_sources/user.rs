//! `contactpro_user` (data source): a user by login.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{DataSource, Diagnostics};

use super::lookup::exactly_one_ignoring_case;
use crate::tf::client_handle::ClientHandle;
use crate::tf::schema::{block, computed, required, schema, string};
use crate::tf::values::{from_api, known, TfString};

const NAME: &str = "contactpro_user";

#[derive(Serialize, Deserialize, Default)]
pub struct UserLookup {
    #[serde(default)]
    pub login: TfString,
    #[serde(default)]
    pub id: TfString,
    #[serde(default)]
    pub first_name: TfString,
    #[serde(default)]
    pub last_name: TfString,
    #[serde(default)]
    pub email: TfString,
    #[serde(default)]
    pub external_id: TfString,
}

pub struct UserDataSource {
    client: ClientHandle,
}

impl UserDataSource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

#[async_trait]
impl DataSource for UserDataSource {
    type State<'a> = UserLookup;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "Looks up a user by login (case-insensitive, as logins are unique regardless of case).",
            vec![
                ("login", required(string(), "Login of the user, matched ignoring case; the state holds the login as the tenant stores it.")),
                ("id", computed(string(), "Id of the user.")),
                ("first_name", computed(string(), "First name.")),
                ("last_name", computed(string(), "Last name.")),
                ("email", computed(string(), "E-mail address, if any.")),
                ("external_id", computed(string(), "External id, if any.")),
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
        let login = known(&config.login).unwrap_or_default().to_string();
        let listed = client
            .find_user_by_login(&login)
            .await
            .map(|found| found.into_iter().collect());
        let user = exactly_one_ignoring_case(
            diags,
            NAME,
            "login",
            &login,
            listed,
            |u: &contactpro_rci::User| &u.login,
        )?;
        Some(UserLookup {
            login: Value::Value(user.login),
            id: Value::Value(user.id),
            first_name: Value::Value(user.first_name),
            last_name: Value::Value(user.surname),
            email: from_api(user.email),
            external_id: from_api(user.external_id),
        })
    }
}
