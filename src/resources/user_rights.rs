//! `contactpro_user_rights`: the authoritative set of rights of one user.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{NestedBlock, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::tf::client_handle::{ClientHandle, Probe};
use crate::tf::diag::{api_error, attribute_error, confirm_gone, Collection, FieldMap};
use crate::tf::ownership::Aspect;
use crate::tf::schema::{
    block, computed, optional, required, schema, string, string_set, with_blocks,
};
use crate::tf::tenant_support::require_endpoint;
use crate::tf::values::{known, known_set, TfSet, TfString};
use contactpro_rci::{Endpoint, RciClient, Right, RightInput};
use contactpro_rules as policy;

const RESOURCE: &str = "contactpro_user_rights";

const FIELDS: FieldMap = &[
    ("objectType", "right"),
    ("objectId", "right"),
    ("accessTypes", "right"),
    ("grant", "right"),
];

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct RightBlock {
    #[serde(default)]
    pub object_type: TfString,
    #[serde(default)]
    pub object_id: TfString,
    #[serde(default)]
    pub access: TfSet,
    #[serde(default)]
    pub grant: TfSet,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct UserRightsState {
    #[serde(default)]
    pub id: TfString,
    #[serde(default)]
    pub user_id: TfString,
    #[serde(default)]
    pub right: Value<Vec<RightBlock>>,
}

/// One right with every value known, in wire vocabulary, keyed by (objectType, objectId).
type WireKey = (String, String);

fn wire_names(set: &TfSet, to_wire: fn(&str) -> Option<&'static str>) -> Vec<String> {
    known_set(set)
        .unwrap_or_default()
        .iter()
        .filter_map(|name| to_wire(name).map(str::to_string))
        .collect()
}

fn desired_rights(rights: &[RightBlock]) -> BTreeMap<WireKey, RightInput> {
    rights
        .iter()
        .filter_map(|block| {
            let object_type = policy::object_type_to_wire(known(&block.object_type)?)?.to_string();
            let object_id = known(&block.object_id)?.to_string();
            let input = RightInput {
                object_type: object_type.clone(),
                object_id: object_id.clone(),
                access_types: sorted(wire_names(&block.access, policy::access_type_to_wire)),
                grant: sorted(wire_names(&block.grant, policy::access_type_to_wire)),
            };
            Some(((object_type, object_id), input))
        })
        .collect()
}

fn sorted(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items.dedup();
    items
}

fn snake(wire: &str, from_wire: fn(&str) -> Option<&'static str>) -> String {
    from_wire(wire)
        .map(str::to_string)
        .unwrap_or_else(|| wire.to_string())
}

/// The remote right as a block; an empty grant stays null when the prior block had it null.
fn to_block(right: &Right, prior: &[RightBlock]) -> RightBlock {
    let object_type = snake(&right.object_type, policy::object_type_from_wire);
    let access: BTreeSet<Value<String>> = right
        .access_types
        .iter()
        .map(|a| Value::Value(snake(a, policy::access_type_from_wire)))
        .collect();
    let grant_was_null = prior.iter().any(|p| {
        known(&p.object_type) == Some(object_type.as_str())
            && known(&p.object_id) == Some(right.object_id.as_str())
            && matches!(p.grant, Value::Null)
    }) || prior.is_empty();
    let grant = if right.grant.is_empty() && grant_was_null {
        Value::Null
    } else {
        Value::Value(
            right
                .grant
                .iter()
                .map(|g| Value::Value(snake(g, policy::access_type_from_wire)))
                .collect(),
        )
    };
    RightBlock {
        object_type: Value::Value(object_type),
        object_id: Value::Value(right.object_id.clone()),
        access: Value::Value(access),
        grant,
    }
}

fn right_path(index: usize) -> AttributePath {
    AttributePath::new("right").index(index as i64)
}

fn validate_rights(diags: &mut Diagnostics, rights: &[RightBlock]) {
    let mut seen = BTreeSet::new();
    for (index, block) in rights.iter().enumerate() {
        let path = |attribute: &'static str| right_path(index).attribute(attribute);
        if let Some(object_type) = known(&block.object_type) {
            if policy::object_type_to_wire(object_type).is_none() {
                let names: Vec<_> = policy::OBJECT_TYPES.iter().map(|(s, _)| *s).collect();
                attribute_error(
                    diags,
                    RESOURCE,
                    path("object_type"),
                    "right.object_type",
                    format!(
                        "{object_type:?} is not an object type. Use one of: {}.",
                        names.join(", ")
                    ),
                );
            }
        }
        if let Some(object_id) = known(&block.object_id) {
            if !policy::is_id(object_id) {
                attribute_error(diags, RESOURCE, path("object_id"), "right.object_id", format!("{object_id:?} is not an id: ids are 32 upper-case hexadecimal characters; look one up with a data source such as contactpro_queue_group."));
            }
            if let Some(object_type) = known(&block.object_type) {
                if !seen.insert((object_type.to_string(), object_id.to_string())) {
                    attribute_error(diags, RESOURCE, path("object_id"), "right.object_id", format!("The {object_type} {object_id} appears in two `right` blocks: merge their `access` sets into one block."));
                }
            }
        }
        let access = known_set(&block.access);
        if let Some(access) = &access {
            if access.is_empty() {
                attribute_error(diags, RESOURCE, path("access"), "right.access", "`access` must name at least one access type, such as \"view\" or \"manage_contact_history\".");
            }
            for name in access {
                if policy::access_type_to_wire(name).is_none() {
                    let names: Vec<_> = policy::ACCESS_TYPES.iter().map(|(s, _)| *s).collect();
                    attribute_error(
                        diags,
                        RESOURCE,
                        path("access"),
                        "right.access",
                        format!(
                            "{name:?} is not an access type. Use one of: {}.",
                            names.join(", ")
                        ),
                    );
                }
            }
        }
        if let (Some(grant), Some(access)) = (known_set(&block.grant), &access) {
            for name in grant.difference(access) {
                attribute_error(diags, RESOURCE, path("grant"), "right.grant", format!("{name:?} is in `grant` but not in `access`: a user can only grant an access type it has."));
            }
        }
    }
}

/// Makes the user's rights exactly `wanted`: updates changed rights, adds missing, removes others.
/// `Some(false)` when the user does not exist.
async fn sync_rights(
    client: &RciClient,
    diags: &mut Diagnostics,
    user_id: &str,
    wanted: &BTreeMap<WireKey, RightInput>,
) -> Option<bool> {
    let current = match client.list_rights(user_id).await {
        Ok(rights) => rights,
        Err(e) if e.is_not_found() => return Some(false),
        Err(e) => {
            api_error(diags, RESOURCE, "reading the user's rights", &e, FIELDS);
            return None;
        }
    };
    let mut current_by_key: BTreeMap<WireKey, Right> = BTreeMap::new();
    for right in current {
        let key = (right.object_type.clone(), right.object_id.clone());
        if wanted.contains_key(&key) && !current_by_key.contains_key(&key) {
            current_by_key.insert(key, right);
        } else if let Err(e) = client.delete_right(user_id, &right.id).await {
            if !e.is_not_found() {
                api_error(
                    diags,
                    RESOURCE,
                    &format!(
                        "removing the right on {} {}",
                        right.object_type, right.object_id
                    ),
                    &e,
                    FIELDS,
                );
                return None;
            }
        }
    }
    for (key, input) in wanted {
        let result = match current_by_key.get(key) {
            Some(existing) => {
                let same = sorted(existing.access_types.clone()) == input.access_types
                    && sorted(existing.grant.clone()) == input.grant;
                if same {
                    continue;
                }
                client.update_right(user_id, &existing.id, input).await
            }
            None => client.create_right(user_id, input).await.map(|_| ()),
        };
        if let Err(e) = result {
            let detail = if e.is_not_found() && e.field() == Some("objectId") {
                format!(
                    "{e}. The {} {} does not exist in the tenant: check `object_id`.",
                    key.0, key.1
                )
            } else {
                e.to_string()
            };
            diags.error(
                format!(
                    "{RESOURCE}: granting the right on {} {} failed",
                    key.0, key.1
                ),
                detail,
                AttributePath::new("right"),
            );
            return None;
        }
    }
    Some(true)
}

/// Reads the rights of the user; `None` inside `Some` when the user no longer exists.
async fn read_rights(
    client: &RciClient,
    diags: &mut Diagnostics,
    user_id: &str,
    prior: &[RightBlock],
) -> Option<Option<Vec<RightBlock>>> {
    match client.list_rights(user_id).await {
        Ok(rights) => Some(Some(rights.iter().map(|r| to_block(r, prior)).collect())),
        Err(e) if e.is_not_found() => Some(None),
        Err(e) => {
            api_error(diags, RESOURCE, "reading the user's rights", &e, FIELDS);
            None
        }
    }
}

fn blocks(state: &UserRightsState) -> &[RightBlock] {
    match &state.right {
        Value::Value(blocks) => blocks,
        _ => &[],
    }
}

pub struct UserRightsResource {
    client: ClientHandle,
}

impl UserRightsResource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }

    async fn apply(
        &self,
        diags: &mut Diagnostics,
        mut planned: UserRightsState,
    ) -> Option<UserRightsState> {
        let client = self.client.get(diags)?;
        let user_id = known(&planned.user_id).unwrap_or_default().to_string();
        let wanted = desired_rights(blocks(&planned));
        if !sync_rights(&client, diags, &user_id, &wanted).await? {
            diags.error(
                format!("{RESOURCE}: the user {user_id} does not exist"),
                "Check `user_id`: it must be the id of an existing user, for example `contactpro_user.api.id`.",
                AttributePath::new("user_id"),
            );
            return None;
        }
        // After a successful sync the user's rights are exactly the planned blocks (every value
        // is known at apply), so no read-back: it saves one list per user.
        planned.id = Value::Value(user_id);
        Some(planned)
    }
}

/// Fails the plan when an additive `contactpro_user_right` manages the same user.
fn claim(client: &ClientHandle, diags: &mut Diagnostics, state: &UserRightsState) -> Option<()> {
    match known(&state.user_id) {
        Some(user_id) => client.ownership.claim(
            diags,
            Aspect::Rights,
            user_id,
            RESOURCE,
            true,
            AttributePath::new("user_id"),
        ),
        None => Some(()),
    }
}

async fn require_rights_endpoint(client: &RciClient, diags: &mut Diagnostics) -> Option<()> {
    let path = AttributePath::new("right");
    require_endpoint(client, diags, RESOURCE, RESOURCE, Endpoint::Rights, path).await
}

#[async_trait]
impl Resource for UserRightsResource {
    type State<'a> = Value<UserRightsState>;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let right = block(
            "One right: access types on one object.",
            vec![
                ("object_type", required(string(), "Type of the object: `queue`, `queue_group`, `user`, `user_group`, `user_role`, `secret`, `user_service`, `callbacks`, `customer_consents`, `calendar`, `schedule`, `built_in_ivr`, `custom_ivr`, `campaign`, `certificate_authentication_info`, `user_devices` or `data_protection_officer`.")),
                ("object_id", required(string(), "Id of the object (32 hexadecimal characters), for example `data.contactpro_queue_group.chat.id`.")),
                ("access", required(string_set(), "Access types, for example `[\"view\", \"manage_contact_history\"]`. One of: `view`, `modify`, `create`, `delete`, `manage`, `serve`, `use`, `manage_voicemail`, `manage_rights`, `manage_members`, `statistics_details`, `statistics_summary`, `control_contact`, `barge_in`, `listen`, `coach`, `log_on_agents`, `listen_to_recording`, `manage_contact_history`, `manage_presence`, `messaging`.")),
                ("grant", optional(string_set(), "Access types the user may pass on to others; each must also be in `access`.")),
            ],
        );
        Some(schema(with_blocks(
            block(
                "The authoritative set of rights of one user: rights of the user that are not configured here show as drift on plan and are removed on apply; destroy removes all of the user's rights. Use one `contactpro_user_rights` per user.",
                vec![
                    ("id", computed(string(), "The user's id.")),
                    ("user_id", required(string(), "Id of the user whose rights this manages. Changing it replaces the resource.")),
                ],
            ),
            vec![("right", NestedBlock::Set(right))],
        )))
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        if let Value::Value(config) = &config {
            if let Some(user_id) = known(&config.user_id) {
                if !policy::is_id(user_id) {
                    attribute_error(diags, RESOURCE, AttributePath::new("user_id"), "user_id", format!("{user_id:?} is not a user id: ids are 32 upper-case hexadecimal characters, for example `contactpro_user.api.id`."));
                }
            }
            validate_rights(diags, blocks(config));
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
        let user_id = known(&state.user_id).unwrap_or_default().to_string();
        let prior = blocks(&state).to_vec();
        match read_rights(&client, diags, &user_id, &prior).await? {
            Some(read) => {
                state.right = Value::Value(read);
                Some((Value::Value(state), private_state))
            }
            None => {
                confirm_gone(&client, diags, RESOURCE, Collection::Users, &user_id).await?;
                Some((Value::Null, private_state))
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
        claim(&self.client, diags, &planned)?;
        let client = self
            .client
            .get_checked(diags, RESOURCE, Probe::Users)
            .await?;
        require_rights_endpoint(&client, diags).await?;
        planned.id = planned.user_id.clone();
        Some((Value::Value(planned), Value::Null))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        proposed_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let (Value::Value(prior), Value::Value(mut planned)) = (&prior_state, proposed_state)
        else {
            return Some((Value::Null, prior_private_state, vec![]));
        };
        claim(&self.client, diags, &planned)?;
        let mut replace = vec![];
        if planned.user_id != prior.user_id {
            replace.push(AttributePath::new("user_id"));
        }
        planned.id = planned.user_id.clone();
        if planned != *prior {
            let client = self.client.get(diags)?;
            require_rights_endpoint(&client, diags).await?;
        }
        Some((Value::Value(planned), prior_private_state, replace))
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
        let Value::Value(planned) = planned_state else {
            return None;
        };
        let state = self.apply(diags, planned).await?;
        Some((Value::Value(state), planned_private_state))
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
        match self.apply(diags, planned).await {
            Some(state) => Some((Value::Value(state), planned_private_state)),
            None => Some((prior_state, planned_private_state)),
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
        let user_id = known(&prior.user_id).unwrap_or_default().to_string();
        // A user that no longer exists has no rights left to remove.
        sync_rights(&client, diags, &user_id, &BTreeMap::new())
            .await
            .map(drop)
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let client = self.client.get(diags)?;
        let user_id = if policy::is_id(&id) {
            id.clone()
        } else {
            match client.find_user_by_login(&id).await {
                Ok(Some(user)) => user.id,
                Ok(None) => {
                    diags.root_error(
                        format!("{RESOURCE}: nothing to import"),
                        format!(
                            "No user has the login {id:?}. Import takes the user's id or login."
                        ),
                    );
                    return None;
                }
                Err(e) => {
                    api_error(diags, RESOURCE, "importing the user's rights", &e, FIELDS);
                    return None;
                }
            }
        };
        match read_rights(&client, diags, &user_id, &[]).await? {
            Some(read) => Some((
                Value::Value(UserRightsState {
                    id: Value::Value(user_id.clone()),
                    user_id: Value::Value(user_id),
                    right: Value::Value(read),
                }),
                Value::Null,
            )),
            None => {
                diags.root_error(
                    format!("{RESOURCE}: nothing to import"),
                    format!("No user has the id {id:?}."),
                );
                None
            }
        }
    }
}
