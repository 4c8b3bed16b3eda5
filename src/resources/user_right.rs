//! `contactpro_user_right`: one right of one user, additively. It owns only the access types (and
//! grants) it declares on its object: each write reads the user's current right on that object,
//! adds or removes only its own access types and writes the merged right back; the right is
//! deleted only when nothing is left on it. Other `contactpro_user_right`s, rights made in System
//! Configurator or by another configuration may hold other access types on the same object.

use std::collections::BTreeSet;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::tf::client_handle::{ClientHandle, Probe};
use crate::tf::diag::{api_error, attribute_error, confirm_gone, Collection, FieldMap};
use crate::tf::ownership::Aspect;
use crate::tf::schema::{block, computed, optional, required, schema, string, string_set};
use crate::tf::tenant_support::require_endpoint;
use crate::tf::values::{known, known_set, set_of, TfSet, TfString};
use contactpro_rci::{Endpoint, RciClient, Right, RightInput};
use contactpro_rules as policy;

const RESOURCE: &str = "contactpro_user_right";

const FIELDS: FieldMap = &[
    ("objectType", "object_type"),
    ("objectId", "object_id"),
    ("accessTypes", "access"),
    ("grant", "grant"),
];

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct UserRightState {
    #[serde(default)]
    pub id: TfString,
    #[serde(default)]
    pub user_id: TfString,
    #[serde(default)]
    pub object_type: TfString,
    #[serde(default)]
    pub object_id: TfString,
    #[serde(default)]
    pub access: TfSet,
    #[serde(default)]
    pub grant: TfSet,
}

/// Access types and grants in wire vocabulary.
#[derive(Clone, Debug, Default, PartialEq)]
struct Owned {
    access: BTreeSet<String>,
    grant: BTreeSet<String>,
}

fn to_wire(set: &TfSet) -> BTreeSet<String> {
    known_set(set)
        .unwrap_or_default()
        .iter()
        .filter_map(|name| policy::access_type_to_wire(name).map(str::to_string))
        .collect()
}

fn from_wire(names: impl IntoIterator<Item = String>) -> TfSet {
    set_of(names.into_iter().map(|wire| {
        policy::access_type_from_wire(&wire)
            .map(str::to_string)
            .unwrap_or(wire)
    }))
}

impl UserRightState {
    fn owned(&self) -> Owned {
        Owned {
            access: to_wire(&self.access),
            grant: to_wire(&self.grant),
        }
    }

    fn user(&self) -> &str {
        known(&self.user_id).unwrap_or_default()
    }

    fn wire_type(&self) -> String {
        let snake = known(&self.object_type).unwrap_or_default();
        policy::object_type_to_wire(snake)
            .unwrap_or(snake)
            .to_string()
    }

    fn object(&self) -> &str {
        known(&self.object_id).unwrap_or_default()
    }

    fn composite_id(&self) -> String {
        format!(
            "{}/{}/{}",
            self.user(),
            known(&self.object_type).unwrap_or_default(),
            self.object()
        )
    }
}

fn find<'r>(rights: &'r [Right], object_type: &str, object_id: &str) -> Option<&'r Right> {
    rights
        .iter()
        .find(|r| r.object_type == object_type && r.object_id.eq_ignore_ascii_case(object_id))
}

pub struct UserRightResource {
    client: ClientHandle,
}

impl UserRightResource {
    pub fn new(client: ClientHandle) -> Self {
        Self { client }
    }

    /// Replaces what this resource owned (`before`) by `after` in the user's right on the object,
    /// keeping every other access type; deletes the right when nothing is left. `Some(false)`
    /// when the user does not exist.
    async fn merge(
        &self,
        diags: &mut Diagnostics,
        state: &UserRightState,
        before: &Owned,
        after: &Owned,
    ) -> Option<bool> {
        let client = self.client.get(diags)?;
        let user_id = state.user();
        let (object_type, object_id) = (state.wire_type(), state.object().to_string());
        let lock = self.client.ownership.user_lock(user_id);
        let _guard = lock.lock().await;
        let current = match client.list_rights_fresh(user_id).await {
            Ok(rights) => rights,
            Err(e) if e.is_not_found() => return Some(false),
            Err(e) => {
                api_error(diags, RESOURCE, "reading the user's rights", &e, FIELDS);
                return None;
            }
        };
        let existing = find(&current, &object_type, &object_id);
        let (mut access, mut grant): (BTreeSet<String>, BTreeSet<String>) = match existing {
            Some(r) => (
                r.access_types.iter().cloned().collect(),
                r.grant.iter().cloned().collect(),
            ),
            None => Default::default(),
        };
        access.retain(|a| !before.access.contains(a) || after.access.contains(a));
        grant.retain(|g| !before.grant.contains(g) || after.grant.contains(g));
        access.extend(after.access.iter().cloned());
        grant.extend(after.grant.iter().cloned());
        // A grant without its access type is refused by the API.
        grant.retain(|g| access.contains(g));
        let input = RightInput {
            object_type: object_type.clone(),
            object_id: object_id.clone(),
            access_types: access.iter().cloned().collect(),
            grant: grant.iter().cloned().collect(),
        };
        let result = match existing {
            Some(r) if access.is_empty() => client.delete_right(user_id, &r.id).await,
            Some(r) => {
                let unchanged = r.access_types.iter().cloned().collect::<BTreeSet<_>>() == access
                    && r.grant.iter().cloned().collect::<BTreeSet<_>>() == grant;
                if unchanged {
                    return Some(true);
                }
                client.update_right(user_id, &r.id, &input).await
            }
            None if access.is_empty() => return Some(true),
            None => client.create_right(user_id, &input).await.map(drop),
        };
        match result {
            Ok(()) => Some(true),
            Err(e) if e.is_not_found() && existing.is_some() && after.access.is_empty() => {
                Some(true)
            }
            Err(e) => {
                let detail = if e.is_not_found() && e.field() == Some("objectId") {
                    format!("{e}. The {object_type} {object_id} does not exist in the tenant: check `object_id`.")
                } else {
                    e.to_string()
                };
                diags.error(
                    format!("{RESOURCE}: writing the right of user {user_id} on {object_type} {object_id} failed"),
                    detail,
                    AttributePath::new("access"),
                );
                None
            }
        }
    }

    fn claim(&self, diags: &mut Diagnostics, state: &UserRightState) -> Option<()> {
        match known(&state.user_id) {
            Some(user_id) => self.client.ownership.claim(
                diags,
                Aspect::Rights,
                user_id,
                RESOURCE,
                false,
                AttributePath::new("user_id"),
            ),
            None => Some(()),
        }
    }
}

fn validate_config(diags: &mut Diagnostics, config: &UserRightState) {
    let error = |diags: &mut Diagnostics, attribute: &'static str, detail: String| {
        attribute_error(
            diags,
            RESOURCE,
            AttributePath::new(attribute),
            attribute,
            detail,
        )
    };
    if let Some(user_id) = known(&config.user_id) {
        if !policy::is_id(user_id) {
            error(diags, "user_id", format!("{user_id:?} is not a user id: ids are 32 upper-case hexadecimal characters, for example `contactpro_user.api.id`."));
        }
    }
    if let Some(object_type) = known(&config.object_type) {
        if policy::object_type_to_wire(object_type).is_none() {
            let names: Vec<_> = policy::OBJECT_TYPES.iter().map(|(s, _)| *s).collect();
            error(
                diags,
                "object_type",
                format!(
                    "{object_type:?} is not an object type. Use one of: {}.",
                    names.join(", ")
                ),
            );
        }
    }
    if let Some(object_id) = known(&config.object_id) {
        if !policy::is_id(object_id) {
            error(diags, "object_id", format!("{object_id:?} is not an id: ids are 32 upper-case hexadecimal characters; look one up with a data source such as contactpro_queue_group."));
        }
    }
    let access = known_set(&config.access);
    if let Some(access) = &access {
        if access.is_empty() {
            error(diags, "access", "`access` must name at least one access type, such as \"view\" or \"manage_contact_history\".".into());
        }
        for name in access {
            if policy::access_type_to_wire(name).is_none() {
                let names: Vec<_> = policy::ACCESS_TYPES.iter().map(|(s, _)| *s).collect();
                error(
                    diags,
                    "access",
                    format!(
                        "{name:?} is not an access type. Use one of: {}.",
                        names.join(", ")
                    ),
                );
            }
        }
    }
    if let (Some(grant), Some(access)) = (known_set(&config.grant), &access) {
        for name in grant.difference(access) {
            error(diags, "grant", format!("{name:?} is in `grant` but not in `access`: a user can only grant an access type it has."));
        }
    }
}

/// Splits `<user>/<object_type>/<object_id>`; the user part is an id or a login.
fn parse_import_id(id: &str) -> Option<(&str, &str, &str)> {
    let mut parts = id.rsplitn(3, '/');
    let object_id = parts.next()?;
    let object_type = parts.next()?;
    let user = parts.next()?;
    (!user.is_empty()).then_some((user, object_type, object_id))
}

pub(crate) async fn user_id_of(
    client: &RciClient,
    diags: &mut Diagnostics,
    resource: &str,
    user: &str,
) -> Option<String> {
    if policy::is_id(user) {
        return Some(user.to_string());
    }
    match client.find_user_by_login(user).await {
        Ok(Some(found)) => Some(found.id),
        Ok(None) => {
            diags.root_error(
                format!("{resource}: nothing to import"),
                format!("No user has the login {user:?}. The user part of the import id is the user's id or login."),
            );
            None
        }
        Err(e) => {
            api_error(diags, resource, "importing: looking up the user", &e, &[]);
            None
        }
    }
}

#[async_trait]
impl Resource for UserRightResource {
    type State<'a> = Value<UserRightState>;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "One right of one user on one object, additively: this resource owns only the access types and grants it declares. Other access types on the same object (from other `contactpro_user_right` resources, another configuration or System Configurator) are kept; the right is deleted only when nothing is left on it. Do not combine it with `contactpro_user_rights` (authoritative) for the same user.",
            vec![
                ("id", computed(string(), "`<user_id>/<object_type>/<object_id>`.")),
                ("user_id", required(string(), "Id of the user. Changing it replaces the resource.")),
                ("object_type", required(string(), "Type of the object, for example `queue_group` (the same names as `contactpro_user_rights`). Changing it replaces the resource.")),
                ("object_id", required(string(), "Id of the object (32 hexadecimal characters). Changing it replaces the resource.")),
                ("access", required(string_set(), "Access types this resource owns on the object, for example `[\"manage_contact_history\"]`.")),
                ("grant", optional(string_set(), "Access types the user may pass on to others; each must also be in `access`.")),
            ],
        )))
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        if let Value::Value(config) = &config {
            validate_config(diags, config);
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
        let user_id = state.user().to_string();
        let rights = match client.list_rights(&user_id).await {
            Ok(rights) => rights,
            Err(e) if e.is_not_found() => {
                confirm_gone(&client, diags, RESOURCE, Collection::Users, &user_id).await?;
                return Some((Value::Null, private_state));
            }
            Err(e) => {
                api_error(diags, RESOURCE, "reading the user's rights", &e, FIELDS);
                return None;
            }
        };
        let owned = state.owned();
        let Some(right) = find(&rights, &state.wire_type(), state.object()) else {
            return Some((Value::Null, private_state));
        };
        // Only what this resource owns is its business; a part removed elsewhere shows as drift.
        let access: Vec<String> = right
            .access_types
            .iter()
            .filter(|a| owned.access.contains(*a))
            .cloned()
            .collect();
        if access.is_empty() {
            return Some((Value::Null, private_state));
        }
        let grant: Vec<String> = right
            .grant
            .iter()
            .filter(|g| owned.grant.contains(*g))
            .cloned()
            .collect();
        state.access = from_wire(access);
        if !(grant.is_empty() && matches!(state.grant, Value::Null)) {
            state.grant = from_wire(grant);
        }
        Some((Value::Value(state), private_state))
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
        self.claim(diags, &planned)?;
        let client = self
            .client
            .get_checked(diags, RESOURCE, Probe::Users)
            .await?;
        let path = AttributePath::new("access");
        require_endpoint(&client, diags, RESOURCE, RESOURCE, Endpoint::Rights, path).await?;
        planned.id = if [&planned.user_id, &planned.object_type, &planned.object_id]
            .iter()
            .all(|v| known(v).is_some())
        {
            Value::Value(planned.composite_id())
        } else {
            Value::Unknown
        };
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
        self.claim(diags, &planned)?;
        let replace: Vec<AttributePath> = [
            ("user_id", &planned.user_id, &prior.user_id),
            ("object_type", &planned.object_type, &prior.object_type),
            ("object_id", &planned.object_id, &prior.object_id),
        ]
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(name, _, _)| AttributePath::new(name))
        .collect();
        planned.id = if replace.is_empty() {
            prior.id.clone()
        } else {
            Value::Unknown
        };
        if planned != *prior {
            let client = self.client.get(diags)?;
            let path = AttributePath::new("access");
            require_endpoint(&client, diags, RESOURCE, RESOURCE, Endpoint::Rights, path).await?;
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
        let Value::Value(mut planned) = planned_state else {
            return None;
        };
        let owned = planned.owned();
        if !self
            .merge(diags, &planned, &Owned::default(), &owned)
            .await?
        {
            diags.error(
                format!("{RESOURCE}: the user {} does not exist", planned.user()),
                "Check `user_id`: it must be the id of an existing user, for example `contactpro_user.api.id`.",
                AttributePath::new("user_id"),
            );
            return None;
        }
        planned.id = Value::Value(planned.composite_id());
        Some((Value::Value(planned), planned_private_state))
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
        let (Value::Value(prior), Value::Value(planned)) = (&prior_state, planned_state) else {
            return None;
        };
        match self
            .merge(diags, &planned, &prior.owned(), &planned.owned())
            .await
        {
            Some(true) => Some((Value::Value(planned), planned_private_state)),
            Some(false) => {
                diags.error(
                    format!("{RESOURCE}: the user {} does not exist", planned.user()),
                    "The user was deleted outside Terraform; run `terraform apply` again to re-create what depends on it.",
                    AttributePath::new("user_id"),
                );
                Some((prior_state, planned_private_state))
            }
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
        // A user that no longer exists has no right left to remove.
        self.merge(diags, &prior, &prior.owned(), &Owned::default())
            .await
            .map(drop)
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Some((user, object_type, object_id)) = parse_import_id(&id) else {
            diags.root_error(
                format!("{RESOURCE}: invalid import id {id:?}"),
                "Use `<user id or login>/<object_type>/<object_id>`, for example `api.attachments/queue_group/3906ECA4762C42588B55E5A66460D58E`.",
            );
            return None;
        };
        let Some(wire_type) = policy::object_type_to_wire(object_type) else {
            let names: Vec<_> = policy::OBJECT_TYPES.iter().map(|(s, _)| *s).collect();
            diags.root_error(
                format!("{RESOURCE}: invalid import id {id:?}"),
                format!(
                    "{object_type:?} is not an object type. Use one of: {}.",
                    names.join(", ")
                ),
            );
            return None;
        };
        let client = self.client.get(diags)?;
        let user_id = user_id_of(&client, diags, RESOURCE, user).await?;
        let rights = match client.list_rights(&user_id).await {
            Ok(rights) => rights,
            Err(e) => {
                api_error(diags, RESOURCE, "importing the right", &e, FIELDS);
                return None;
            }
        };
        let Some(right) = find(&rights, wire_type, object_id) else {
            diags.root_error(
                format!("{RESOURCE}: nothing to import"),
                format!("User {user_id} has no right on {object_type} {object_id}."),
            );
            return None;
        };
        // The imported resource owns every access type the right has now.
        let state = UserRightState {
            id: Value::Null,
            user_id: Value::Value(user_id),
            object_type: Value::Value(object_type.to_string()),
            object_id: Value::Value(right.object_id.clone()),
            access: from_wire(right.access_types.clone()),
            grant: if right.grant.is_empty() {
                Value::Null
            } else {
                from_wire(right.grant.clone())
            },
        };
        let state = UserRightState {
            id: Value::Value(state.composite_id()),
            ..state
        };
        Some((Value::Value(state), Value::Null))
    }
}
