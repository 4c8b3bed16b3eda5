//! `contactpro_user_group`: a user group (documented `userGroups`). The product documentation
//! recommends giving rights through a role on a subgroup of All Users; this makes the subgroup.
//! The API has no description field for groups, so there is none here.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::tf::client_handle::{ClientHandle, Probe};
use crate::tf::diag::{api_error, attribute_error, confirm_gone, Collection, FieldMap};
use crate::tf::schema::{block, computed, optional_computed, required, schema, string};
use crate::tf::values::{from_api, known, TfString};
use contactpro_rci::{RciClient, UserGroup, UserGroupInput};
use contactpro_rules as policy;

const RESOURCE: &str = "contactpro_user_group";

const FIELDS: FieldMap = &[("name", "name"), ("parentId", "parent_id")];

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct UserGroupState {
    #[serde(default)]
    pub id: TfString,
    #[serde(default)]
    pub name: TfString,
    #[serde(default)]
    pub parent_id: TfString,
}

impl UserGroupState {
    fn refresh_from(&mut self, group: UserGroup) {
        self.id = Value::Value(group.id);
        self.name = Value::Value(group.name);
        self.parent_id = from_api(group.parent_id);
    }

    fn to_input(&self) -> UserGroupInput {
        UserGroupInput {
            name: known(&self.name).unwrap_or_default().to_string(),
            parent_id: known(&self.parent_id).map(str::to_string),
        }
    }
}

pub struct UserGroupResource {
    client: ClientHandle,
}

impl UserGroupResource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }
}

/// All Users' id, the parent when `parent_id` is not set.
async fn root_id(client: &RciClient, diags: &mut Diagnostics) -> Option<String> {
    match client.root_user_group().await {
        Ok(Some(root)) => Some(root.id),
        Ok(None) => {
            diags.error(
                format!("{RESOURCE}: All Users is not visible"),
                "No user group without a parent (All Users) is visible to the API user, so the default parent is unknown. Set `parent_id`, or give the API user View on All Users.",
                AttributePath::new("parent_id"),
            );
            None
        }
        Err(e) => {
            api_error(diags, RESOURCE, "looking up All Users", &e, FIELDS);
            None
        }
    }
}

#[async_trait]
impl Resource for UserGroupResource {
    type State<'a> = Value<UserGroupState>;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "A user group. The product documentation recommends giving rights through a role on a subgroup of All Users rather than to users directly. The API has no description for user groups.",
            vec![
                ("id", computed(string(), "Id of the user group (32 hexadecimal characters).")),
                ("name", required(string(), "Name of the group, unique in the tenant (case-insensitively), 1 to 400 characters.")),
                ("parent_id", optional_computed(string(), "Id of the parent group. Not set: All Users, and a group moved elsewhere outside Terraform shows as drift.")),
            ],
        )))
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        let Value::Value(config) = config else {
            return Some(());
        };
        if let Some(name) = known(&config.name) {
            if let Err(e) = policy::check_person_name(name) {
                attribute_error(
                    diags,
                    RESOURCE,
                    AttributePath::new("name"),
                    "name",
                    format!("The group name {e}."),
                );
            }
        }
        if let Some(parent) = known(&config.parent_id) {
            if !policy::is_id(parent) {
                attribute_error(diags, RESOURCE, AttributePath::new("parent_id"), "parent_id", format!("{parent:?} is not an id: ids are 32 upper-case hexadecimal characters, for example `data.contactpro_user_group.all.id`."));
            }
        }
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(mut state) = state else {
            return Some((state, private_state));
        };
        let client = self.client.get(diags)?;
        let id = known(&state.id).unwrap_or_default().to_string();
        match client.get_user_group(&id).await {
            Ok(group) => {
                state.refresh_from(group);
                Some((Value::Value(state), private_state))
            }
            Err(e) if e.is_not_found() => {
                confirm_gone(&client, diags, RESOURCE, Collection::Users, &id).await?;
                Some((Value::Null, private_state))
            }
            Err(e) => {
                api_error(diags, RESOURCE, "reading the user group", &e, FIELDS);
                None
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(mut planned) = proposed_state else {
            return Some((Value::Null, Value::Null));
        };
        let client = self
            .client
            .get_checked(diags, RESOURCE, Probe::Users)
            .await?;
        planned.id = Value::Unknown;
        if matches!(planned.parent_id, Value::Null) {
            planned.parent_id = Value::Value(root_id(&client, diags).await?);
        }
        Some((Value::Value(planned), Value::Null))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let (Value::Value(prior), Value::Value(mut planned), Value::Value(config)) =
            (&prior_state, proposed_state, config_state)
        else {
            return Some((Value::Null, prior_private_state, vec![]));
        };
        planned.id = prior.id.clone();
        if matches!(config.parent_id, Value::Null) {
            let client = self.client.get(diags)?;
            planned.parent_id = Value::Value(root_id(&client, diags).await?);
        }
        Some((Value::Value(planned), prior_private_state, vec![]))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Some(prior_private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(mut planned) = planned_state else {
            return None;
        };
        let client = self.client.get(diags)?;
        let input = planned.to_input();
        match client.create_user_group(&input).await {
            Ok(id) => {
                planned.id = Value::Value(id);
                Some((Value::Value(planned), planned_private_state))
            }
            Err(e) => {
                let action = format!("creating the user group {:?}", input.name);
                api_error(diags, RESOURCE, &action, &e, FIELDS);
                None
            }
        }
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(planned) = planned_state else {
            return None;
        };
        let client = self.client.get(diags)?;
        let id = known(&planned.id).unwrap_or_default().to_string();
        match client.update_user_group(&id, &planned.to_input()).await {
            Ok(()) => Some((Value::Value(planned), planned_private_state)),
            Err(e) => {
                api_error(diags, RESOURCE, "updating the user group", &e, FIELDS);
                Some((prior_state, planned_private_state))
            }
        }
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let Value::Value(prior) = prior_state else {
            return Some(());
        };
        let client = self.client.get(diags)?;
        let id = known(&prior.id).unwrap_or_default();
        match client.delete_user_group(id).await {
            Ok(()) => Some(()),
            Err(e) if e.is_not_found() => Some(()),
            Err(e) if e.is_conflict() => {
                diags.error(
                    format!("{RESOURCE}: deleting the user group failed"),
                    format!("{e}. Delete or move its subgroups first (for example their contactpro_user_group resources, with `parent_id` referencing this group so Terraform orders the deletes)."),
                    AttributePath::root(),
                );
                None
            }
            Err(e) => {
                api_error(diags, RESOURCE, "deleting the user group", &e, FIELDS);
                None
            }
        }
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let client = self.client.get(diags)?;
        let found = if policy::is_id(&id) {
            match client.get_user_group(&id).await {
                Ok(group) => Ok(Some(group)),
                Err(e) if e.is_not_found() => Ok(None),
                Err(e) => Err(e),
            }
        } else {
            client.find_user_group_by_name(&id).await
        };
        match found {
            Ok(Some(group)) => {
                let mut state = UserGroupState::default();
                state.refresh_from(group);
                Some((Value::Value(state), Value::Null))
            }
            Ok(None) => {
                diags.root_error(
                    format!("{RESOURCE}: nothing to import"),
                    format!("No user group has the id or name {id:?}. Import takes the group's id or its name."),
                );
                None
            }
            Err(e) => {
                api_error(diags, RESOURCE, "importing the user group", &e, FIELDS);
                None
            }
        }
    }
}
